import type { EventBridgeEvent } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { caseNotifications } from '../../domain/cases/case-notifications.ts';
import { caseUseCases } from '../../domain/cases/case.use-cases.ts';
import type { Case } from '../../domain/cases/case.schema.ts';
import { CaseEscalated } from '../../events/case-escalated.event.ts';
import { CaseOpened } from '../../events/case-opened.event.ts';
import { CasePriorityChanged } from '../../events/case-priority-changed.event.ts';
import { CaseSlaBreached } from '../../events/case-sla-breached.event.ts';
import { CaseSlaWarning } from '../../events/case-sla-warning.event.ts';
import { CustomerErased } from '../../events/customer-erased.event.ts';
import type { DomainEvent, EventDefinition } from '../../events/define-event.ts';
import { caseErasureHandler, escalationHandler, notificationHandler, slaSweepHandler } from '../../functions/cases/case-events.handlers.ts';
import { caseInput, MINUTE, T0 } from '../support/case-builders.ts';
import {
  type FakeCaseRepository,
  fakeCaseRepository,
  fakeCustomerDirectory,
  type FakeEmailSender,
  fakeEmailSender,
  type FakeOnceGuard,
  fakeOnceGuard,
  fakePublishedArticles,
} from '../support/case-fakes.ts';
import { type FakeClock, fakeClock, sequentialIds } from '../support/fakes.ts';

// The EventBridge consumers of the cases context, fed events in the envelope the outbox
// publishes (detail = {metadata, data}), against the in-memory fakes.

const ctx = { correlationId: 'corr-1' };
const LEASE_MS = 5 * MINUTE;

let clock: FakeClock;
let repo: FakeCaseRepository;
let cases: ReturnType<typeof caseUseCases>;
let mailer: FakeEmailSender;
let once: FakeOnceGuard;
let notify: ReturnType<typeof notificationHandler>;
let infoLog: ReturnType<typeof vi.spyOn>;

beforeEach(async () => {
  infoLog = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  clock = fakeClock(T0);
  repo = fakeCaseRepository({ clock, customers: ['cust-1'] });
  cases = caseUseCases({ cases: repo, clock, ids: sequentialIds('case'), articles: fakePublishedArticles() });
  mailer = fakeEmailSender();
  once = fakeOnceGuard({ clock, leaseMs: LEASE_MS });
  notify = notificationHandler(
    caseNotifications({ cases: repo, customers: fakeCustomerDirectory({ 'cust-1': 'Cora Client <cora@example.com>' }), mailer, once }),
  );
  await cases.putQueue('support', { members: ['ann'], managers: ['boss@managers.test'], escalateTo: 'tier2' });
  await cases.putQueue('tier2', { members: [], managers: ['tier2-boss@managers.test'] });
});

afterEach(() => {
  infoLog.mockRestore();
});

let published = 0;
/** An EventBridge event as the bus delivers it: the catalog module's detail envelope. */
function busEvent<D>(definition: EventDefinition, data: D, eventId = `evt-${++published}`): EventBridgeEvent<string, unknown> {
  return {
    version: '0',
    id: `eb-${eventId}`,
    'detail-type': definition.detailType,
    source: definition.source,
    account: '123456789012',
    time: clock.now().toISOString(),
    region: 'eu-central-1',
    resources: [],
    detail: definition.detail.parse({
      metadata: { eventId, version: definition.version, occurredAt: clock.now().toISOString(), correlationId: 'corr-1', causationId: null, idempotencyKey: `idem-${eventId}` },
      data,
    }),
  };
}

/** The every-minute schedule's event. */
const scheduled = () => ({ ...busEvent(CustomerErased, { customerId: 'unused' }), 'detail-type': 'Scheduled Event', source: 'aws.events', detail: {} });

/** The last event of this type the writes committed, as the bus would deliver it. */
function lastPublished(definition: EventDefinition): EventBridgeEvent<string, unknown> {
  const event: DomainEvent | undefined = repo.events.filter((e) => e.definition === definition).at(-1);
  if (!event) throw new Error(`no ${definition.detailType} was committed`);
  return busEvent(definition, event.data);
}

const open = async (extra: Parameters<typeof caseInput>[0] = {}): Promise<Case> => (await cases.open(caseInput({ subject: 'Parcel missing', ...extra }), ctx)).case;
const at = (minutes: number) => clock.set(new Date(Date.parse(T0) + minutes * MINUTE));
const count = (definition: EventDefinition) => repo.events.filter((e) => e.definition === definition).length;

/** A normal case in `support` whose first response (default policy: 480 business minutes) was breached and recorded. */
async function breachedCase(): Promise<Case> {
  const c = await open();
  clock.set(c.sla.firstResponseDueAt);
  expect(await slaSweepHandler(cases)(scheduled())).toMatchObject({ breaches: 1 });
  clock.advance(5 * MINUTE);
  return c;
}

describe('escalationHandler', () => {
  it('escalates once when the same CaseSlaBreached is delivered twice', async () => {
    const c = await breachedCase();
    const breached = lastPublished(CaseSlaBreached);
    const handle = escalationHandler(cases);
    await handle(breached);
    await handle(breached);
    expect(await repo.get(c.id)).toMatchObject({ escalationLevel: 1, priority: 'high', queue: 'tier2' });
    expect(count(CaseEscalated)).toBe(1);
    expect(repo.commits.at(-1)?.context).toEqual({ correlationId: 'corr-1' });
  });

  it('rejects an event that does not fit the catalog schema (EventBridge retries, then dead-letters) and changes nothing', async () => {
    const c = await breachedCase();
    const malformed = { ...lastPublished(CaseSlaBreached), detail: { data: { caseId: c.id, milestone: 'firstResponse' } } };
    await expect(escalationHandler(cases)(malformed)).rejects.toThrow();
    expect(count(CaseEscalated)).toBe(0);
  });
});

describe('notificationHandler', () => {
  it('sends one email for a CaseEscalated delivered twice, to the managers of both queues', async () => {
    const c = await breachedCase();
    await escalationHandler(cases)(lastPublished(CaseSlaBreached));
    const escalated = lastPublished(CaseEscalated);
    await notify(escalated);
    await notify(escalated);
    expect(mailer.sent).toHaveLength(1);
    const [mail] = mailer.sent;
    expect([...mail!.to].sort()).toEqual(['boss@managers.test', 'tier2-boss@managers.test']);
    expect(mail!.kind).toBe('service');
    expect(mail!.subject).toBe(`[Escalated, level 1] ${c.number}: Parcel missing`);
    expect(mail!.text).toContain('missed by 5 minute(s)');
    expect(mail!.text).toContain('Customer: Cora Client <cora@example.com>');
  });

  it("tells the new queue's assignee of the escalation too, never the agent the case left", async () => {
    await cases.putQueue('tier2', { members: ['expert@agents.test'], managers: ['tier2-boss@managers.test'] });
    const c = await breachedCase();
    await cases.assign(c.id, { assigneeId: 'ann@agents.test' }, ctx);
    await escalationHandler(cases)(lastPublished(CaseSlaBreached));
    await notify(lastPublished(CaseEscalated));
    expect([...mailer.sent[0]!.to].sort()).toEqual(['boss@managers.test', 'expert@agents.test', 'tier2-boss@managers.test']);
  });

  it.each([
    ['to the member it was assigned to there', ['expert@agents.test'], ['expert@agents.test']],
    ["to the new queue's managers when nobody there took it", [], ['tier2-boss@managers.test']],
  ])('sends the SLA warnings of an escalated case %s, not to its old assignee', async (_, members, to) => {
    await cases.putQueue('tier2', { members, managers: ['tier2-boss@managers.test'] });
    const c = await breachedCase();
    await cases.assign(c.id, { assigneeId: 'ann@agents.test' }, ctx);
    await escalationHandler(cases)(lastPublished(CaseSlaBreached));
    clock.set(new Date(Date.parse(c.sla.resolutionDueAt) - MINUTE));
    expect(await slaSweepHandler(cases)(scheduled())).toMatchObject({ warnings: 1 });
    await notify(lastPublished(CaseSlaWarning));
    expect(mailer.sent.map((m) => [m.subject.split(']')[0], m.to])).toEqual([['[SLA warning', to]]);
  });

  it('releases the claim when the send fails, so the retry sends it', async () => {
    await breachedCase();
    await escalationHandler(cases)(lastPublished(CaseSlaBreached));
    const escalated = lastPublished(CaseEscalated);
    mailer.failNext();
    await expect(notify(escalated)).rejects.toThrow('SES throttled the send');
    expect(mailer.sent).toHaveLength(0);
    expect(once.claimed.size).toBe(0);
    await notify(escalated);
    expect(mailer.sent).toHaveLength(1);
    expect(once.claimed.size).toBe(1);
  });

  it('keeps CR/LF of a stored case subject and customer label out of the notice subject', async () => {
    notify = notificationHandler(
      caseNotifications({ cases: repo, customers: fakeCustomerDirectory({ 'cust-1': 'Cora\r\nBcc: x@evil.test <cora@example.com>' }), mailer, once }),
    );
    const c = await open({ priority: 'urgent', subject: 'Printer\r\nBcc: victim@example.net\u0000 broken' });
    await notify(lastPublished(CaseOpened));
    const [mail] = mailer.sent;
    expect(mail!.subject).toBe(`[Urgent] ${c.number}: Printer Bcc: victim@example.net broken`);
    expect(mail!.subject).not.toMatch(/[\u0000-\u001f]/);
    expect(mail!.text).toContain('Subject: Printer Bcc: victim@example.net broken');
  });

  it('a delivery that finds the claim held by another attempt fails to be retried (never dropped as a duplicate); after the lease it sends', async () => {
    await breachedCase();
    await escalationHandler(cases)(lastPublished(CaseSlaBreached));
    const escalated = lastPublished(CaseEscalated);
    const eventId = (escalated.detail as { metadata: { eventId: string } }).metadata.eventId;
    expect(await once.claim(`notice#${eventId}`)).toBe('claimed'); // an attempt that then died
    await expect(notify(escalated)).rejects.toThrow(/claim/);
    expect(mailer.sent).toHaveLength(0);
    clock.advance(LEASE_MS + 1);
    await notify(escalated);
    expect(mailer.sent).toHaveLength(1);
    expect(mailer.sent[0]!.deliveryKey).toBe(`notice#${eventId}`); // recorded once under it (the gate)
    expect(once.state(`notice#${eventId}`)).toBe('done');
    await notify(escalated);
    expect(mailer.sent).toHaveLength(1);
  });

  it('emails the queue managers at once about a case opened urgent, and nobody about a normal one', async () => {
    const urgent = await open({ priority: 'urgent' });
    await notify(lastPublished(CaseOpened));
    await open({ priority: 'normal' });
    await notify(lastPublished(CaseOpened));
    expect(mailer.sent.map((m) => [m.to, m.subject])).toEqual([[['boss@managers.test'], `[Urgent] ${urgent.number}: Parcel missing`]]);
  });

  it('emails about a case raised to urgent, not about one raised to high', async () => {
    const c = await open();
    await cases.patch(c.id, { priority: 'high' }, undefined, ctx);
    await notify(lastPublished(CasePriorityChanged));
    expect(mailer.sent).toHaveLength(0);
    await cases.patch(c.id, { priority: 'urgent' }, undefined, ctx);
    await notify(lastPublished(CasePriorityChanged));
    expect(mailer.sent.map((m) => m.subject)).toEqual([`[Urgent] ${c.number}: Parcel missing`]);
  });

  it.each([
    ['an email-like assignee hears it alone', 'ann@agents.test', ['ann@agents.test']],
    ['an assignee without an address: the managers hear it', 'ann', ['boss@managers.test']],
    ['no assignee: the managers hear it', null, ['boss@managers.test']],
  ])('sends a CaseSlaWarning: %s', async (_, assigneeId, to) => {
    const c = await open();
    if (assigneeId) await cases.assign(c.id, { assigneeId }, ctx);
    await notify(busEvent(CaseSlaWarning, { caseId: c.id, milestone: 'firstResponse', dueAt: c.sla.firstResponseDueAt, assigneeId }));
    expect(mailer.sent.map((m) => m.to)).toEqual([to]);
    expect(mailer.sent[0]!.subject).toBe(`[SLA warning] ${c.number}: Parcel missing`);
  });

  it('sends nothing, and claims nothing, when the queue has no managers', async () => {
    await cases.putQueue('quiet', { members: [], managers: [] });
    await open({ queue: 'quiet', priority: 'urgent' });
    await notify(lastPublished(CaseOpened));
    expect(mailer.sent).toEqual([]);
    expect(once.claimed.size).toBe(0);
  });

  it('throws on an event type it has no rule for', async () => {
    await expect(notify(busEvent(CustomerErased, { customerId: 'cust-1' }))).rejects.toThrow('Unexpected event CustomerErased');
  });
});

describe('caseErasureHandler', () => {
  it("scrubs the erased customer's cases", async () => {
    const c = await open();
    await caseErasureHandler(repo)(busEvent(CustomerErased, { customerId: 'cust-1' }));
    expect(repo.scrubbed).toEqual(['cust-1']);
    expect(await repo.get(c.id)).toMatchObject({ subject: '[erased]', description: null, number: c.number });
  });

  it('scrubs the cases of every profile merged into the erased customer as well', async () => {
    await caseErasureHandler(repo)(busEvent(CustomerErased, { customerId: 'cust-1', mergedFrom: ['cust-7', 'cust-9'] }));
    expect(repo.scrubbed).toEqual(['cust-1', 'cust-7', 'cust-9']);
  });
});

describe('slaSweepHandler', () => {
  it('runs the sweep and logs only counts of what it recorded', async () => {
    await open({ priority: 'urgent' }); // default policy, 24x7: warning after 45 minutes
    at(44);
    expect(await slaSweepHandler(cases)(scheduled())).toEqual({ checked: 0, warnings: 0, breaches: 0 });
    expect(infoLog).not.toHaveBeenCalled();
    at(45);
    expect(await slaSweepHandler(cases)(scheduled())).toEqual({ checked: 1, warnings: 1, breaches: 0 });
    expect(count(CaseSlaWarning)).toBe(1);
    expect(infoLog.mock.calls.map((args: unknown[]) => JSON.parse(String(args[0])))).toEqual([
      // The metrics line (CloudWatch EMF): only what is not 0.
      expect.objectContaining({ context: 'cases', SlaWarnings: 1, _aws: expect.objectContaining({ CloudWatchMetrics: [expect.objectContaining({ Metrics: [{ Name: 'SlaWarnings', Unit: 'Count' }] })] }) }),
      { level: 'info', message: 'sla sweep', checked: 1, warnings: 1, breaches: 0 },
    ]);
  });
});
