import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { caseUseCases } from '../../domain/cases/case.use-cases.ts';
import type { Campaign } from '../../domain/campaigns/campaign.schema.ts';
import type { SendBatch } from '../../domain/campaigns/delivery.repository.ts';
import { deliveryUseCases } from '../../domain/campaigns/delivery.use-cases.ts';
import { consentUseCases } from '../../domain/consent/consent.use-cases.ts';
import { emailGate } from '../../domain/consent/email-gate.ts';
import { customerUseCases } from '../../domain/customers/customer.use-cases.ts';
import type { EmailMessage } from '../../domain/shared/email.ts';
import { dynamoCaseRepository } from '../../functions/cases/case.dynamodb-repository.ts';
import { dynamoPublishedArticles } from '../../functions/cases/published-articles.ts';
import { toCampaignItem } from '../../functions/campaigns/campaign.keys.ts';
import { campaignMailer, intervalPacer } from '../../functions/campaigns/campaign-mailer.ts';
import { dynamoDeliveryRepository } from '../../functions/campaigns/delivery.dynamodb-repository.ts';
import { fromReportItem } from '../../functions/campaigns/campaign.keys.ts';
import { dynamoConsentRepository } from '../../functions/consent/consent.dynamodb-repository.ts';
import { dynamoCustomerRepository } from '../../functions/customers/customer.dynamodb-repository.ts';
import { put } from '../../functions/shared/db.ts';
import { tokenSigner } from '../../functions/shared/hmac-tokens.ts';
import { commit } from '../../functions/shared/transaction.ts';
import { uuidIds } from '../../functions/shared/system.ts';
import { campaignOf } from '../support/delivery-fakes.ts';
import { freshTable } from '../support/dynamodb.ts';
import { fakeClock } from '../support/fakes.ts';

// Campaign delivery on DynamoDB Local with the real gate, consent, cases and customers adapters
// and a recording mail sender: pages through the sink, batches through the sender, at most one
// message per recipient whatever is repeated or crashes, holds, caps across campaigns, the writes
// per recipient (counted on the client), completion once, and erasure and export of what it wrote.

let table: Awaited<ReturnType<typeof freshTable>>;
const clock = fakeClock('2025-03-01T09:00:00.000Z');
const ctx = { correlationId: 'campaign-it' };
const db = () => ({ client: table.client, tableName: table.tableName, ids: uuidIds, clock });

/** Item writes per partition prefix (Put, Update, Delete, alone or in a transaction), while counting. */
let writes: { pk: string; kind: string }[] = [];
/** Runs once right after the next transaction that claims a recipient record commits (a crash there). */
let afterClaim: ((customerId: string) => never) | undefined;

let sent: EmailMessage[] = [];
const sender = {
  async send(message: EmailMessage) {
    sent.push(message);
    return { messageId: `ses-${sent.length}` };
  },
};

beforeAll(async () => {
  table = await freshTable();
  table.client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { TransactItems?: Record<string, any>[]; Item?: Record<string, unknown>; Key?: Record<string, unknown>; RequestItems?: Record<string, any[]> };
      const items = input.TransactItems ?? [];
      for (const item of items) {
        const write = item.Put ? item.Put.Item : item.Update ? item.Update.Key : item.Delete ? item.Delete.Key : undefined;
        if (write) writes.push({ pk: String(write.pk), kind: item.Put ? 'put' : item.Update ? 'update' : 'delete' });
      }
      if (/^(Put|Update|Delete)(Item)?Command$/.test(String(context.commandName))) writes.push({ pk: String((input.Item ?? input.Key)!.pk), kind: 'single' });
      if (context.commandName === 'BatchWriteCommand') for (const requests of Object.values(input.RequestItems ?? {})) for (const r of requests) if (r.PutRequest || r.DeleteRequest) writes.push({ pk: String((r.PutRequest?.Item ?? r.DeleteRequest?.Key).pk), kind: 'batch' });
      const result = await next(args);
      const claim = items.find((i) => String(i.Put?.Item?.sk ?? '').startsWith('CAMPAIGN#') && i.Put?.Item?.outcome === 'sent');
      if (claim && afterClaim) {
        const crash = afterClaim;
        afterClaim = undefined;
        crash(String(claim.Put.Item.customerId));
      }
      return result;
    },
    { step: 'initialize', name: 'countWrites' },
  );
  await dynamoConsentRepository(db()).putTopics([{ id: 'newsletter', name: 'Newsletter', description: '', purpose: 'marketing' }]);
});
afterAll(async () => {
  await table?.drop();
});
beforeEach(() => {
  sent = [];
  writes = [];
});

function app() {
  const consents = dynamoConsentRepository(db());
  const gate = emailGate({ consents, sender, clock, ids: uuidIds });
  return {
    customers: customerUseCases({ customers: dynamoCustomerRepository(db()), clock, ids: uuidIds }),
    consent: consentUseCases({ consents, gate, tokens: tokenSigner('k'.repeat(40)), clock, ids: uuidIds }),
    cases: caseUseCases({ cases: dynamoCaseRepository(db()), clock, ids: uuidIds, articles: dynamoPublishedArticles(db().client, db().tableName) }),
    delivery: deliveryUseCases({
      repo: dynamoDeliveryRepository(db()),
      gate,
      mailer: campaignMailer(sender),
      tokens: tokenSigner('k'.repeat(40)),
      pacer: intervalPacer(0),
      clock,
      ids: uuidIds,
      linkBase: () => 'https://crm.example',
      lanes: 2,
      concurrency: 4,
    }),
  };
}

/** Customers subscribed to the newsletter (or not). */
async function people(n: number, label: string, subscribed = true): Promise<string[]> {
  const a = app();
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const { customer } = await a.customers.create({ email: `${label}-${i}-${Date.now().toString(36)}@example.com`, firstName: `P${i}` } as never, ctx);
    if (subscribed) await a.consent.command(customer.id, { topic: 'newsletter', action: 'grant', source: 'import', legalBasis: 'consent', proof: 'form' }, { roles: ['admin'] }, 'https://crm.example', ctx);
    ids.push(customer.id);
  }
  return ids;
}

async function campaign(overrides: Partial<Campaign>): Promise<Campaign> {
  const c = campaignOf({ id: `cmp-${Math.random().toString(36).slice(2, 10)}`, ...overrides });
  await commit(table.client, [put(db(), toCampaignItem(c))]);
  return c;
}

const run = (campaignId: string, parts = 1) => ({ runId: `run-${campaignId}`, purpose: 'campaign' as const, segmentId: 'seg-1', targetId: campaignId, parts });

async function query(pk: string, prefix = ''): Promise<Record<string, unknown>[]> {
  const out = await table.client.send(
    new QueryCommand({
      TableName: table.tableName,
      KeyConditionExpression: prefix ? 'pk = :pk AND begins_with(sk, :s)' : 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk, ...(prefix ? { ':s': prefix } : {}) },
      ConsistentRead: true,
    }),
  );
  return out.Items ?? [];
}

/** The queued batches of a campaign, lane by lane, as the stream would hand them over. */
async function queuedBatches(campaignId: string, lanes = 2): Promise<SendBatch[]> {
  const batches: SendBatch[] = [];
  for (let lane = 0; lane < lanes; lane++) {
    for (const item of await query(`SEND#${campaignId}#${lane}`)) {
      if (item.status === 'queued') batches.push({ campaignId, lane, id: String(item.sk), customerIds: item.customerIds as string[] });
    }
  }
  return batches;
}

const report = async (campaignId: string) => (await query(`CAMPAIGN#${campaignId}`, 'REPORT'))[0] ?? {};
const campaignItem = async (campaignId: string) => (await query(`CAMPAIGN#${campaignId}`, 'CAMPAIGN'))[0]!;
const outbox = async () => (await table.scanAll()).filter((i) => String(i.pk).startsWith('OUTBOX#'));
const sentTo = () => sent.map((m) => m.to[0]);

describe('a page through the sink', () => {
  it('becomes batches of at most 100 in lanes, counted once however often the page comes', async () => {
    const c = await campaign({});
    const ids = Array.from({ length: 230 }, (_, i) => `c-x${i}`);
    await app().delivery.sink.accept(run(c.id, 2), { part: 0, page: 0, customerIds: ids, last: false }, ctx);
    await app().delivery.sink.accept(run(c.id, 2), { part: 0, page: 0, customerIds: ids, last: false }, ctx);
    const batches = await queuedBatches(c.id);
    expect(batches.map((b) => b.customerIds.length).sort()).toEqual([100, 100, 30].sort());
    expect(new Set(batches.map((b) => b.lane))).toEqual(new Set([0, 1]));
    expect(batches.flatMap((b) => b.customerIds).sort()).toEqual([...ids].sort());
    expect(await report(c.id)).toMatchObject({ targeted: 230, batchesQueued: 3, parts: 2, lanes: 2 });
    expect((await report(c.id)).partsDone ?? 0).toBe(0);
  });
});

describe('batches through the sender', () => {
  it('sends at most one message per recipient when the same batch comes twice or two batches name the same customer', async () => {
    const ids = await people(3, 'twice');
    const c = await campaign({});
    const a = app();
    await a.delivery.sink.accept(run(c.id, 2), { part: 0, page: 0, customerIds: ids, last: true }, ctx);
    await a.delivery.sink.accept(run(c.id, 2), { part: 1, page: 0, customerIds: [ids[0]!], last: true }, ctx);
    const batches = await queuedBatches(c.id);
    expect(batches).toHaveLength(2);
    for (const b of batches) await a.delivery.sendBatch(b, ctx);
    for (const b of batches) expect(await a.delivery.sendBatch(b, ctx)).toBe('duplicate');
    expect(sent).toHaveLength(3);
    expect(new Set(sentTo()).size).toBe(3);
    expect(await report(c.id)).toMatchObject({ targeted: 4, sent: 3, batchesQueued: 2, batchesDone: 2, partsDone: 2 });
  });

  it('never sends twice after a crash between the claim and SES', async () => {
    const ids = await people(2, 'crash');
    const c = await campaign({});
    const a = app();
    await a.delivery.sink.accept(run(c.id), { part: 0, page: 0, customerIds: ids, last: true }, ctx);
    const [b] = await queuedBatches(c.id);
    let crashedFor = '';
    afterClaim = (customerId) => {
      crashedFor = customerId;
      throw new Error('the sender died right after the claim');
    };
    await expect(a.delivery.sendBatch(b!, ctx)).rejects.toThrow(/died/);
    await a.delivery.sendBatch(b!, ctx);
    // The one claimed before the crash is never mailed (at most once); the other is, once.
    const email = (await a.customers.get(crashedFor)).email;
    expect(sentTo()).not.toContain(email);
    expect(sent).toHaveLength(1);
    const records = await Promise.all(ids.map(async (id) => (await query(`CUSTOMER#${id}`, `CAMPAIGN#${c.id}`))[0]));
    expect(records.map((r) => r?.outcome)).toEqual(['sent', 'sent']);
    expect(await report(c.id)).toMatchObject({ sent: 2, batchesDone: 1 });
  });

  it('holds a customer with an open case of the level, recorded with reason open_case, and mails the others', async () => {
    const [held, other] = await people(2, 'hold');
    const a = app();
    await a.cases.open({ customerId: held!, subject: 'Broken', priority: 'urgent', channel: 'email', queue: 'general' } as never, ctx);
    const c = await campaign({ holdIfOpenCase: 'high' });
    await a.delivery.sink.accept(run(c.id), { part: 0, page: 0, customerIds: [held!, other!], last: true }, ctx);
    for (const b of await queuedBatches(c.id)) await a.delivery.sendBatch(b, ctx);
    expect(sent).toHaveLength(1);
    expect((await query(`CUSTOMER#${held}`, `CAMPAIGN#${c.id}`))[0]).toMatchObject({ outcome: 'held', reason: 'open_case', gsi8pk: `RECIPIENTS#${c.id}`, gsi8sk: `held#${held}` });
    expect(await report(c.id)).toMatchObject({ held: 1, sent: 1 });
  });

  it('caps marketing mail across campaigns and one-to-one marketing emails', async () => {
    const [ada] = await people(1, 'cap');
    const a = app();
    const first = await campaign({});
    await a.delivery.sink.accept(run(first.id), { part: 0, page: 0, customerIds: [ada!], last: true }, ctx);
    for (const b of await queuedBatches(first.id)) await a.delivery.sendBatch(b, ctx);
    clock.advance(25 * 3600 * 1000);
    const capOne = await campaign({ frequencyCap: { max: 1, perDays: 7 } });
    await a.delivery.sink.accept(run(capOne.id), { part: 0, page: 0, customerIds: [ada!], last: true }, ctx);
    for (const b of await queuedBatches(capOne.id)) await a.delivery.sendBatch(b, ctx);
    expect((await query(`CUSTOMER#${ada}`, `CAMPAIGN#${capOne.id}`))[0]).toMatchObject({ outcome: 'capped' });

    await a.consent.sendMarketing(ada!, { topic: 'newsletter', subject: 'Just for you', text: 'Hi' }, 'https://crm.example', ctx);
    const capTwo = await campaign({ frequencyCap: { max: 2, perDays: 7 } });
    const capTwoLater = await campaign({ frequencyCap: { max: 2, perDays: 1 } });
    for (const c of [capTwo, capTwoLater]) {
      await a.delivery.sink.accept(run(c.id), { part: 0, page: 0, customerIds: [ada!], last: true }, ctx);
      for (const b of await queuedBatches(c.id)) await a.delivery.sendBatch(b, ctx);
    }
    // Two in the last 7 days (the first campaign, the one-to-one email): capped; in the last day only one: sent.
    expect((await query(`CUSTOMER#${ada}`, `CAMPAIGN#${capTwo.id}`))[0]).toMatchObject({ outcome: 'capped' });
    expect((await query(`CUSTOMER#${ada}`, `CAMPAIGN#${capTwoLater.id}`))[0]).toMatchObject({ outcome: 'sent' });
    expect(sent).toHaveLength(3);
  });

  it('blocks with the gate reason and records it as the only write for that recipient', async () => {
    const [notSubscribed] = await people(1, 'nocon', false);
    const c = await campaign({});
    const a = app();
    await a.delivery.sink.accept(run(c.id), { part: 0, page: 0, customerIds: [notSubscribed!], last: true }, ctx);
    writes = [];
    for (const b of await queuedBatches(c.id)) await a.delivery.sendBatch(b, ctx);
    expect(sent).toEqual([]);
    expect(writes.filter((w) => w.pk === `CUSTOMER#${notSubscribed}`)).toHaveLength(1);
    expect(await report(c.id)).toMatchObject({ blocked_no_consent: 1 });
    expect(fromReportItem(await report(c.id))).toMatchObject({ targeted: 1, sent: 0, blocked: { no_consent: 1 }, held: 0, delivered: 0 });
  });

  it('costs two item writes per sent recipient (the record and the timeline entry) and a few per batch, and completes once', async () => {
    const ids = await people(100, 'writes');
    const c = await campaign({});
    const a = app();
    writes = [];
    await a.delivery.sink.accept(run(c.id), { part: 0, page: 0, customerIds: ids, last: true }, ctx);
    const sinkWrites = writes.length;
    const [b] = await queuedBatches(c.id);
    writes = [];
    await a.delivery.sendBatch(b!, ctx);
    const perCustomer = writes.filter((w) => w.pk.startsWith('CUSTOMER#'));
    expect(sent).toHaveLength(100);
    expect(perCustomer).toHaveLength(200);
    for (const id of ids) expect(perCustomer.filter((w) => w.pk === `CUSTOMER#${id}`)).toHaveLength(2);
    // The batch done, the report's counters, one outbox record with the batch's 100 events; the completion and its event.
    expect(writes.length - perCustomer.length).toBeLessThanOrEqual(5);
    expect(sinkWrites).toBe(2);
    expect((writes.length + sinkWrites) / 100).toBeLessThanOrEqual(2.07);

    const item = await campaignItem(c.id);
    expect(item).toMatchObject({ status: 'completed', version: c.version + 1 });
    const records = await outbox();
    const bundle = records.find((r) => Array.isArray(r.events) && (r.events as { detailType: string }[])[0]?.detailType === 'CampaignMessageSent' && String((r.events as { detail: string }[])[0]!.detail).includes(c.id));
    expect((bundle!.events as unknown[]).length).toBe(100);
    const completed = records.filter((r) => r.detailType === 'CampaignCompleted' && String(r.detail).includes(c.id));
    expect(completed.map((r) => JSON.parse(String(r.detail)).data)).toEqual([{ campaignId: c.id, targeted: 100, sent: 100 }]);
    expect(await a.delivery.sendBatch(b!, ctx)).toBe('duplicate');
    expect((await outbox()).filter((r) => r.detailType === 'CampaignCompleted' && String(r.detail).includes(c.id))).toHaveLength(1);
  });
});

describe('pause and resume on the table', () => {
  it('parks the batches of a paused campaign and resume puts them back as queued, in their lanes', async () => {
    const ids = await people(1, 'pause');
    const c = await campaign({ status: 'paused', pausedFrom: 'running' });
    const a = app();
    await a.delivery.sink.accept(run(c.id), { part: 0, page: 0, customerIds: ids, last: true }, ctx);
    const [b] = await queuedBatches(c.id);
    expect(await a.delivery.sendBatch(b!, ctx)).toBe('parked');
    expect(await queuedBatches(c.id)).toEqual([]);
    expect(sent).toEqual([]);
    await commit(table.client, [put(db(), toCampaignItem({ ...c, status: 'running', pausedFrom: null, version: c.version + 1 }))]);
    await a.delivery.sending.resume(c.id);
    expect(await queuedBatches(c.id)).toEqual([b]);
    await a.delivery.sendBatch(b!, ctx);
    expect(sent).toHaveLength(1);
  });
});

describe('erasure and export of campaign mail', () => {
  it('shows the campaign email in the export, and erasure deletes the recipient record and the timeline entry', async () => {
    const [ada] = await people(1, 'erase');
    const c = await campaign({});
    const a = app();
    await a.delivery.sink.accept(run(c.id), { part: 0, page: 0, customerIds: [ada!], last: true }, ctx);
    for (const b of await queuedBatches(c.id)) await a.delivery.sendBatch(b, ctx);
    const exported = await a.customers.exportData(ada!);
    expect(exported.emails.filter((e) => (e.data as { campaignId?: string }).campaignId === c.id)).toEqual([
      expect.objectContaining({ kind: 'email', type: 'email_sent', data: expect.objectContaining({ campaignId: c.id, topic: 'newsletter', messageId: 'ses-1', kind: 'marketing' }) }),
    ]);
    expect(await query(`CUSTOMER#${ada}`, 'CAMPAIGN#')).toHaveLength(1);

    await a.customers.erase(ada!, undefined, ctx);
    expect(await query(`CUSTOMER#${ada}`, 'CAMPAIGN#')).toEqual([]);
    expect(await query(`CUSTOMER#${ada}`, 'TL#')).toEqual([]);

    // A batch naming the erased customer afterwards writes nothing about them.
    const later = await campaign({});
    await a.delivery.sink.accept(run(later.id), { part: 0, page: 0, customerIds: [ada!], last: true }, ctx);
    for (const b of await queuedBatches(later.id)) await a.delivery.sendBatch(b, ctx);
    expect(await query(`CUSTOMER#${ada}`, 'CAMPAIGN#')).toEqual([]);
    expect(await report(later.id)).toMatchObject({ blocked_erased: 1 });
  });
});

describe('the scheduled start on the table', () => {
  // The segments part owns the real Audience; this stand-in only records the scans asked for.
  const audience = () => {
    const scans: string[] = [];
    return {
      scans,
      includes: async () => true,
      startScan: async (r: { purpose: 'snapshot' | 'campaign'; segmentId: string; targetId: string }) => {
        scans.push(r.targetId);
        return { ...r, runId: `run-${r.targetId}`, parts: 1 };
      },
    };
  };

  it('moves a due scheduled campaign to running with its report and CampaignStarted in one transaction, once', async () => {
    const c = await campaign({ status: 'scheduled', startedAt: null, schedule: { at: clock.now().toISOString() } });
    const scanner = audience();
    expect(await app().delivery.start(c.id, scanner, ctx)).toBe('started');
    expect(await app().delivery.start(c.id, scanner, ctx)).toBe('ignored');
    expect(scanner.scans).toEqual([c.id]);
    expect(await campaignItem(c.id)).toMatchObject({ status: 'running', startedAt: clock.now().toISOString(), version: c.version + 1 });
    expect(await report(c.id)).toMatchObject({ targeted: 0, sent: 0, batchesQueued: 0, batchesDone: 0, partsDone: 0, scanRunId: `run-${c.id}` });
    const started = (await outbox()).filter((r) => r.detailType === 'CampaignStarted' && String(r.detail).includes(c.id));
    expect(started.map((r) => JSON.parse(String(r.detail)).data)).toEqual([{ campaignId: c.id, segmentId: 'seg-1' }]);
  });

  it('starts the scan on a retry after a crash between the start and the scan, and not again after that', async () => {
    const c = await campaign({ status: 'scheduled', startedAt: null, schedule: { at: clock.now().toISOString() } });
    const crashing = { ...audience(), startScan: async () => Promise.reject(new Error('crashed before the scan')) };
    await expect(app().delivery.start(c.id, crashing, ctx)).rejects.toThrow(/crashed/);
    const scanner = audience();
    expect(await app().delivery.start(c.id, scanner, ctx)).toBe('resumed');
    expect(await app().delivery.start(c.id, scanner, ctx)).toBe('ignored');
    expect(scanner.scans).toEqual([c.id]);
    expect((await outbox()).filter((r) => r.detailType === 'CampaignStarted' && String(r.detail).includes(c.id))).toHaveLength(1);
  });
});

describe('one customer of a triggered campaign on the table', () => {
  it('sends once and counts targeted and the outcome on the report; a second delivery is a duplicate', async () => {
    const [ada, bob] = await people(2, 'trigger');
    const c = await campaign({ status: 'active', schedule: null, trigger: { event: 'CustomerCreated', where: {}, delayMinutes: 0 }, holdIfOpenCase: 'any' });
    const a = app();
    await a.cases.open({ customerId: bob!, subject: 'Question', priority: 'low', channel: 'email', queue: 'general' } as never, ctx);
    expect(await a.delivery.delivery.deliver(c.id, ada!, ctx)).toBe('sent');
    expect(await a.delivery.delivery.deliver(c.id, ada!, ctx)).toBe('duplicate');
    expect(await a.delivery.delivery.deliver(c.id, bob!, ctx)).toBe('held');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.tags).toEqual({ campaign: c.id, kind: 'marketing' });
    expect(await report(c.id)).toMatchObject({ targeted: 2, sent: 1, held: 1 });
  });
});

