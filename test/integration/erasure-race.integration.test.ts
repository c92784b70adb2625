import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseUseCases } from '../../domain/cases/case.use-cases.ts';
import { consentUseCases } from '../../domain/consent/consent.use-cases.ts';
import { emailGate } from '../../domain/consent/email-gate.ts';
import { customerUseCases } from '../../domain/customers/customer.use-cases.ts';
import { interactionUseCases } from '../../domain/customers/interaction.use-cases.ts';
import { DomainError } from '../../domain/shared/errors.ts';
import { CustomerErased } from '../../events/customer-erased.event.ts';
import { caseErasureHandler } from '../../functions/cases/case-events.handlers.ts';
import { dynamoCaseRepository } from '../../functions/cases/case.dynamodb-repository.ts';
import { dynamoPublishedArticles } from '../../functions/cases/published-articles.ts';
import { consentErasureHandler } from '../../functions/consent/consent-events.handlers.ts';
import { dynamoConsentRepository } from '../../functions/consent/consent.dynamodb-repository.ts';
import { dynamoCustomerRepository } from '../../functions/customers/customer.dynamodb-repository.ts';
import { tokenSigner } from '../../functions/shared/hmac-tokens.ts';
import { systemClock, uuidIds } from '../../functions/shared/system.ts';
import { freshTable } from '../support/dynamodb.ts';

// Erasure against writers of every context, on DynamoDB Local. The writers run at the worst
// moments, deterministically: right after the profile is marked, right after the customer's
// partitions were cleaned (before the erasure record is committed), and after the consumers of
// CustomerErased have scrubbed consent and cases. Whatever they manage to write must be gone at
// the end, or must never have been written.

let table: Awaited<ReturnType<typeof freshTable>>;
const ctx = { correlationId: 'erasure-race' };
const db = () => ({ client: table.client, tableName: table.tableName, ids: uuidIds, clock: systemClock });

type Hook = 'afterMark' | 'beforeFinal' | 'afterMergeCommit';
let hooks: Partial<Record<Hook, () => Promise<void>>> = {};

beforeAll(async () => {
  table = await freshTable();
  // Finds the two moments in the erasure's own requests: the mark (an update setting erasingSince)
  // and the final transaction (the profile's delete on condition of the mark).
  table.client.middlewareStack.add(
    (next) => async (args) => {
      const items = ((args.input as { TransactItems?: Record<string, any>[] }).TransactItems ?? []);
      const marks = items.some((i) => Object.values(i.Update?.ExpressionAttributeNames ?? {}).includes('erasingSince'));
      const final = items.some((i) => i.Delete?.Key?.sk === 'PROFILE' && String(i.Delete?.ConditionExpression).includes('erasingSince'));
      const merge = items.some((i) => String(i.Put?.Item?.sk ?? '').startsWith('MERGED_FROM#'));
      if (final && hooks.beforeFinal) {
        const run = hooks.beforeFinal;
        delete hooks.beforeFinal;
        await run();
      }
      const result = await next(args);
      if (marks && hooks.afterMark) {
        const run = hooks.afterMark;
        delete hooks.afterMark;
        await run();
      }
      if (merge && hooks.afterMergeCommit) {
        const run = hooks.afterMergeCommit;
        delete hooks.afterMergeCommit;
        await run();
      }
      return result;
    },
    { step: 'initialize', name: 'erasureMoments' },
  );
});
afterAll(async () => {
  await table?.drop();
});

function contexts() {
  const customersRepo = dynamoCustomerRepository(db());
  const consents = dynamoConsentRepository(db());
  const casesRepo = dynamoCaseRepository(db());
  const unavailable = { send: () => Promise.reject(new Error('no mail in this test: every email here is refused by the gate')) };
  const gate = emailGate({ consents, sender: unavailable, clock: systemClock, ids: uuidIds });
  return {
    customers: customerUseCases({ customers: customersRepo, clock: systemClock, ids: uuidIds }),
    interactions: interactionUseCases({ customers: customersRepo, clock: systemClock, ids: uuidIds }),
    consent: consentUseCases({ consents, gate, tokens: tokenSigner('x'.repeat(40)), clock: systemClock, ids: uuidIds }),
    cases: caseUseCases({ cases: casesRepo, clock: systemClock, ids: uuidIds, articles: dynamoPublishedArticles(db().client, db().tableName) }),
    casesRepo,
  };
}

/** Every value that names the person; none may be in the table once erasure is done. */
function marksFor(label: string) {
  const n = `${label}${Date.now().toString(36)}`;
  return {
    email: `race-${n}@example.com`,
    firstName: `Zorvanq${n}`,
    lastName: `Pellucid${n}`,
    ip: '203.0.113.77',
    userAgent: `UA-race-${n}`,
    summary: `called about parcel ${n}`,
    externalId: `ext-race-${n}`,
    caseSubject: `Lost parcel ${n}`,
    lateSubject: `Late case ${n}`,
    comment: `public reply ${n}`,
  };
}

/** Refusals (4xx domain errors) are what a writer racing an erasure should get; anything else fails the test. */
async function attempt(outcomes: string[], what: string, write: () => Promise<unknown>) {
  try {
    const result = await write();
    const blocked = (result as { outcome?: string; reason?: string } | undefined)?.outcome === 'blocked';
    outcomes.push(`${what}: ${blocked ? `blocked (${(result as { reason: string }).reason})` : 'written'}`);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    outcomes.push(`${what}: ${error.constructor.name}`);
  }
}

function writers(app: ReturnType<typeof contexts>, customerId: string, caseId: string, marks: ReturnType<typeof marksFor>, outcomes: string[]) {
  const origin = { ip: marks.ip, userAgent: marks.userAgent };
  return async () => {
    await attempt(outcomes, 'consent grant', () =>
      app.consent.command(customerId, { topic: 'news', action: 'grant', source: 'import', legalBasis: 'consent', proof: 'paper form', ...origin }, { roles: ['admin'] }, 'https://crm.example', ctx),
    );
    await attempt(outcomes, 'consent withdraw', () => app.consent.command(customerId, { topic: 'news', action: 'withdraw', source: 'form', ...origin }, { roles: ['agent'] }, 'https://crm.example', ctx));
    await attempt(outcomes, 'marketing email', () =>
      app.consent.sendMarketing(customerId, { topic: 'news', subject: 'Hello {{firstName}} {{lastName}}', text: 'Dear {{firstName}}' }, 'https://crm.example', ctx),
    );
    await attempt(outcomes, 'SES complaint', () => app.consent.complaint([marks.email], ctx));
    await attempt(outcomes, 'SES soft bounce', () => app.consent.bounce([marks.email], 'Transient', ctx));
    await attempt(outcomes, 'interaction', () => app.interactions.recordOne(customerId, { channel: 'phone', type: 'call', summary: marks.summary }));
    await attempt(outcomes, 'interaction batch', async () => {
      const results = await app.interactions.recordBatch([
        { customerId, channel: 'web', type: 'page_view', summary: marks.summary },
        { email: marks.email, channel: 'email', type: 'open', summary: marks.summary },
      ]);
      if (results.some((r) => r.status === 'created')) return;
      throw results.find((r) => r.status === 'error')!.error;
    });
    await attempt(outcomes, 'identity', () => app.customers.linkIdentity(customerId, { type: 'externalId', value: marks.externalId }, ctx));
    await attempt(outcomes, 'patch', () => app.customers.patch(customerId, { lastName: marks.lastName }, undefined, ctx));
    await attempt(outcomes, 'open case', () => app.cases.open({ customerId, subject: marks.lateSubject, description: marks.summary, priority: 'normal', channel: 'email', queue: 'general' }, ctx));
    await attempt(outcomes, 'case comment', () => app.cases.comment(caseId, { body: marks.comment, visibility: 'public' }, { id: 'agent-7', type: 'staff' }, ctx));
    await attempt(outcomes, 'case subject', () => app.cases.patch(caseId, { subject: marks.lateSubject }, undefined, ctx));
  };
}

/** What the bus would deliver to the erasure consumers: the committed CustomerErased outbox record. */
async function deliverErasure(app: ReturnType<typeof contexts>, customerId: string) {
  const outbox = (await table.scanAll()).filter((i) => String(i.pk).startsWith('OUTBOX#') && i.detailType === CustomerErased.detailType);
  const record = outbox.find((i) => (JSON.parse(String(i.detail)) as { data: { customerId: string } }).data.customerId === customerId);
  expect(record, 'CustomerErased was committed').toBeDefined();
  const event = { id: 'evt', 'detail-type': CustomerErased.detailType, source: CustomerErased.source, detail: JSON.parse(String(record!.detail)) } as never;
  await consentErasureHandler(app.consent)(event);
  await caseErasureHandler(app.casesRepo)(event);
}

async function personalDataLeft(customerId: string, marks: ReturnType<typeof marksFor>) {
  // A suppressed address stays suppressed after erasure, so that it is never mailed again.
  const items = (await table.scanAll()).filter((i) => !String(i.pk).startsWith('SUPPRESSION#'));
  const text = JSON.stringify(items);
  return {
    marks: Object.entries(marks).filter(([, value]) => text.includes(value)).map(([name]) => name),
    customerPartition: items.filter((i) => i.pk === `CUSTOMER#${customerId}` && i.sk !== 'ERASURE').map((i) => String(i.sk)),
    emailRecords: items.filter((i) => i.pk === `CONSENT#${customerId}` && String(i.sk).startsWith('EMAIL#')).length,
  };
}

describe('erasure against concurrent writers of every context', () => {
  it('leaves no personal data behind: writes racing the erasure commit before the cleanup (and are cleaned) or are refused', async () => {
    const app = contexts();
    await app.consent.putTopics([{ id: 'news', name: 'News', description: 'monthly', purpose: 'marketing' }]);
    const marks = marksFor('a');
    const { customer } = await app.customers.create({ email: marks.email, firstName: marks.firstName, tags: [] }, ctx);
    const { case: opened } = await app.cases.open({ customerId: customer.id, subject: marks.caseSubject, priority: 'normal', channel: 'email', queue: 'general' }, ctx);
    await app.consent.command(customer.id, { topic: 'news', action: 'grant', source: 'import', legalBasis: 'consent', proof: 'p', ip: marks.ip, userAgent: marks.userAgent }, { roles: ['admin'] }, 'https://crm.example', ctx);

    const outcomes: string[] = [];
    hooks = { afterMark: writers(app, customer.id, opened.id, marks, outcomes), beforeFinal: writers(app, customer.id, opened.id, marks, outcomes) };
    await app.customers.erase(customer.id, customer.version, ctx);
    expect(hooks, 'both moments were reached').toEqual({});
    await deliverErasure(app, customer.id);
    await writers(app, customer.id, opened.id, marks, outcomes)(); // and once it is all over

    expect(await personalDataLeft(customer.id, marks), outcomes.join('\n')).toEqual({ marks: [], customerPartition: [], emailRecords: 0 });
    expect(outcomes.filter((o) => o.endsWith('written') && !o.startsWith('SES')), 'nothing about the person is written once erasure began').toEqual([]);
    // A case for someone being erased is refused as such (409), and for someone erased as unknown (422).
    expect(outcomes.filter((o) => o.startsWith('open case'))).toEqual([
      'open case: CustomerBeingErasedError',
      'open case: CustomerBeingErasedError',
      'open case: UnknownCustomerError',
    ]);
    const ledger = await app.consent.consents(customer.id).catch(() => undefined);
    expect(ledger).toBeUndefined(); // an erased customer has no consents to show
    // The case itself goes on: status and assignment carry nothing about the person.
    await expect(app.cases.patch(opened.id, { status: 'pending' }, undefined, ctx)).resolves.toMatchObject({ status: 'pending', subject: '[erased]' });
    await expect(app.cases.assign(opened.id, { assigneeId: 'agent-2' }, ctx)).resolves.toMatchObject({ assigneeId: 'agent-2' });
  });

  it('refuses to merge anyone into a customer being erased, and leaves the would-be source whole', async () => {
    const app = contexts();
    const marks = marksFor('r');
    const { customer: erasing } = await app.customers.create({ email: marks.email, tags: [] }, ctx);
    const { customer: other } = await app.customers.create({ email: `other-${marks.email}`, firstName: 'Kept', tags: ['stays'] }, ctx);
    let refusal: unknown;
    hooks = {
      afterMark: async () => {
        refusal = await app.customers.merge(erasing.id, other.id, ctx).then(() => 'merged', (error: unknown) => error);
      },
    };
    await app.customers.erase(erasing.id, erasing.version, ctx);
    expect(refusal).toBeInstanceOf(DomainError);
    expect(await app.customers.get(other.id)).toMatchObject({ id: other.id, mergedInto: null, firstName: 'Kept', tags: ['stays'] });
    expect((await app.customers.list({ email: `other-${marks.email}`, limit: 1 })).items.map((c) => c.id)).toEqual([other.id]);
    expect((await app.customers.identities(other.id)).map((i) => i.value)).toEqual([`other-${marks.email}`]);
  });

  it('erasing a target whose merge is still moving the source\'s identities and timeline reaches what stayed behind', async () => {
    const app = contexts();
    await app.consent.putTopics([{ id: 'news', name: 'News', description: 'monthly', purpose: 'marketing' }]);
    const marks = marksFor('m');
    const { customer: target } = await app.customers.create({ email: `target-${marks.email}`, tags: [] }, ctx);
    const { customer: source } = await app.customers.create({ email: marks.email, firstName: marks.firstName, tags: [] }, ctx);
    await app.customers.linkIdentity(source.id, { type: 'externalId', value: marks.externalId }, ctx);
    await app.interactions.recordOne(source.id, { channel: 'phone', type: 'call', summary: marks.summary });
    const { case: opened } = await app.cases.open({ customerId: source.id, subject: marks.caseSubject, priority: 'normal', channel: 'email', queue: 'general' }, ctx);
    await app.consent.command(source.id, { topic: 'news', action: 'grant', source: 'import', legalBasis: 'consent', proof: 'p', ip: marks.ip, userAgent: marks.userAgent }, { roles: ['admin'] }, 'https://crm.example', ctx);

    // The merge's tombstone and MERGED_FROM are committed; before it moves anything, the target is erased.
    hooks = {
      afterMergeCommit: async () => {
        const absorbed = (await app.customers.get(target.id))!;
        await app.customers.erase(target.id, absorbed.version, ctx);
      },
    };
    // The merge took effect with its commit, before the erasure; what it had still to move, the erasure took.
    await expect(app.customers.merge(target.id, source.id, ctx)).resolves.toMatchObject({ id: target.id });
    expect(hooks).toEqual({});
    await deliverErasure(app, target.id);
    // The cases consumer of CustomersMerged arrives late: the erased target takes no case.
    expect(await app.cases.followMerge(source.id, target.id, ctx)).toBe(0);

    const left = await personalDataLeft(source.id, marks);
    expect(left).toEqual({ marks: [], customerPartition: [], emailRecords: 0 });
    expect((await table.scanAll()).filter((i) => i.pk === `CUSTOMER#${target.id}`).map((i) => i.sk)).toEqual(['ERASURE']);
    expect(await app.cases.get(opened.id)).toMatchObject({ subject: '[erased]', customerId: source.id });
  });

  it("scrubs a case the by-customer index has not caught up with: the erasure names the cases the person's timeline held", async () => {
    const app = contexts();
    const marks = marksFor('i');
    const { customer } = await app.customers.create({ email: marks.email, firstName: marks.firstName, tags: [] }, ctx);
    const { case: opened } = await app.cases.open({ customerId: customer.id, subject: marks.caseSubject, priority: 'normal', channel: 'email', queue: 'general' }, ctx);
    await app.cases.comment(opened.id, { body: marks.comment, visibility: 'public' }, { id: 'agent-1', type: 'staff' }, ctx);
    // A global secondary index is eventually consistent: take the case out of by-customer, as if
    // its propagation lagged behind the erasure and its event.
    await table.client.send(new UpdateCommand({ TableName: table.tableName, Key: { pk: `CASE#${opened.id}`, sk: 'CASE' }, UpdateExpression: 'REMOVE gsi5pk, gsi5sk' }));
    expect(await app.casesRepo.casesOf(customer.id)).toEqual([]);

    await app.customers.erase(customer.id, customer.version, ctx);
    await deliverErasure(app, customer.id);

    expect(await app.cases.get(opened.id)).toMatchObject({ subject: '[erased]', description: null });
    expect(await personalDataLeft(customer.id, marks)).toEqual({ marks: [], customerPartition: [], emailRecords: 0 });
  });
});
