import { beforeEach, describe, expect, it } from 'vitest';
import { StatusMoveError } from '../../domain/cases/case.ts';
import { caseUseCases } from '../../domain/cases/case.use-cases.ts';
import type { Case } from '../../domain/cases/case.schema.ts';
import type { SlaPolicyInput } from '../../domain/cases/sla-policy.ts';
import {
  CaseNotFoundError,
  ConcurrentUpdateError,
  StaleVersionError,
  UnknownCustomerError,
  UnprocessableError,
  ValidationError,
} from '../../domain/shared/errors.ts';
import type { CommandContext } from '../../domain/shared/ports.ts';
import { caseInput, iso, MINUTE, ROUND_POLICY, T0 } from '../support/case-builders.ts';
import { type FakeCaseRepository, fakeCaseRepository, fakePublishedArticles } from '../support/case-fakes.ts';
import { type FakeClock, fakeClock, sequentialIds } from '../support/fakes.ts';

const ctx: CommandContext = { correlationId: 'corr-1' };
const staff = { id: 'ann@agents.test', type: 'staff' as const };

/** ROUND_POLICY as an admin would PUT it: normal first response 240 / resolution 960, 24x7, warning at 75 %. */
const ROUND_INPUT: SlaPolicyInput = {
  timezone: ROUND_POLICY.timezone,
  businessHours: Object.fromEntries(Object.entries(ROUND_POLICY.businessHours).map(([d, hours]) => [d, hours.map(([a, b]) => [a, b] as [string, string])])),
  holidays: [],
  targets: ROUND_POLICY.targets,
  warnAtPercent: 75,
};

let clock: FakeClock;
let repo: FakeCaseRepository;
let cases: ReturnType<typeof caseUseCases>;

beforeEach(async () => {
  clock = fakeClock(T0);
  repo = fakeCaseRepository({ clock, customers: ['cust-1', 'cust-2'] });
  cases = caseUseCases({ cases: repo, clock, ids: sequentialIds('case'), articles: fakePublishedArticles() });
  await cases.putPolicy(ROUND_INPUT);
});

const open = async (extra: Parameters<typeof caseInput>[0] = {}) => (await cases.open(caseInput(extra), ctx)).case;
const minutes = (n: number) => clock.set(new Date(Date.parse(T0) + n * MINUTE));
const detailTypes = () => repo.events.map((e) => e.definition.detailType);

describe('open', () => {
  it('stores the case with increasing numbers from CASE-1001 and commits CaseOpened', async () => {
    const a = await open();
    const b = await open({ customerId: 'cust-2' });
    expect([a.number, b.number]).toEqual(['CASE-1001', 'CASE-1002']);
    expect(await cases.get(a.id)).toEqual(a);
    expect(repo.commits.map((c) => [c.operation, c.caseId, c.events.map((e) => e.definition.detailType)])).toEqual([
      ['create', a.id, ['CaseOpened']],
      ['create', b.id, ['CaseOpened']],
    ]);
    expect(a.sla).toMatchObject({ policyVersion: 1, firstResponseDueAt: iso(T0, 240), resolutionDueAt: iso(T0, 960) });
  });

  it('refuses an unknown customer with UnknownCustomerError and stores nothing', async () => {
    await expect(cases.open(caseInput({ customerId: 'nobody' }), ctx)).rejects.toBeInstanceOf(UnknownCustomerError);
    expect((await cases.list({ limit: 10 })).items).toEqual([]);
    expect(repo.events).toEqual([]);
  });

  it('get of an unknown id throws CaseNotFoundError', async () => {
    await expect(cases.get('missing')).rejects.toBeInstanceOf(CaseNotFoundError);
  });
});

describe('patch', () => {
  it('applies a patch with a matching If-Match and bumps the version', async () => {
    const c = await open();
    const patched = await cases.patch(c.id, { subject: 'Renamed' }, 1, ctx);
    expect(patched).toMatchObject({ subject: 'Renamed', version: 2 });
    expect(await cases.get(c.id)).toEqual(patched);
  });

  it('refuses a stale If-Match with StaleVersionError and changes nothing', async () => {
    const c = await open();
    await cases.patch(c.id, { subject: 'First' }, undefined, ctx);
    await expect(cases.patch(c.id, { subject: 'Second' }, 1, ctx)).rejects.toBeInstanceOf(StaleVersionError);
    expect(await cases.get(c.id)).toMatchObject({ subject: 'First', version: 2 });
  });

  it('retries a write that lost a race when no If-Match was given, and it lands', async () => {
    const c = await open();
    repo.failNext('update', new ConcurrentUpdateError());
    const patched = await cases.patch(c.id, { subject: 'Renamed' }, undefined, ctx);
    expect(patched).toMatchObject({ subject: 'Renamed', version: 2 });
    expect(await cases.get(c.id)).toEqual(patched);
    expect(detailTypes()).toEqual(['CaseOpened', 'CaseUpdated']);
  });

  it('re-reads after a concurrent writer won, so both changes survive', async () => {
    const c = await open();
    repo.beforeNextWrite(() => cases.assign(c.id, { assigneeId: 'bob' }, ctx));
    const patched = await cases.patch(c.id, { subject: 'Renamed' }, undefined, ctx);
    expect(patched).toMatchObject({ subject: 'Renamed', assigneeId: 'bob', version: 3 });
    expect(detailTypes()).toEqual(['CaseOpened', 'CaseAssigned', 'CaseUpdated']);
  });

  it('turns a lost race into StaleVersionError when If-Match was given', async () => {
    const c = await open();
    repo.beforeNextWrite(() => cases.assign(c.id, { assigneeId: 'bob' }, ctx));
    await expect(cases.patch(c.id, { subject: 'Renamed' }, 1, ctx)).rejects.toBeInstanceOf(StaleVersionError);
    expect(await cases.get(c.id)).toMatchObject({ subject: caseInput().subject, assigneeId: 'bob' });
  });

  it('lets a disallowed status move through as StatusMoveError without writing', async () => {
    const c = await open();
    await expect(cases.patch(c.id, { status: 'closed' }, undefined, ctx)).rejects.toBeInstanceOf(StatusMoveError);
    expect(repo.commits).toHaveLength(1);
  });
});

describe('comments', () => {
  it('stores the comment with the change and lists it; unknown cases are CaseNotFoundError', async () => {
    const c = await open();
    minutes(20);
    const comment = await cases.comment(c.id, { body: 'On it', visibility: 'public' }, staff, ctx);
    expect(comment).toMatchObject({ caseId: c.id, body: 'On it', authorType: 'staff', createdAt: iso(T0, 20) });
    expect((await cases.get(c.id)).firstRespondedAt).toBe(iso(T0, 20));
    expect((await cases.comments(c.id, { limit: 10 })).items).toEqual([comment]);
    await expect(cases.comment('missing', { body: 'x', visibility: 'public' }, staff, ctx)).rejects.toBeInstanceOf(CaseNotFoundError);
    await expect(cases.comments('missing', { limit: 10 })).rejects.toBeInstanceOf(CaseNotFoundError);
  });
});

describe('assign', () => {
  async function openAssigned(assigneeId: string, count: number) {
    for (let i = 0; i < count; i++) await cases.assign((await open()).id, { assigneeId }, ctx);
  }

  it('auto-assigns the queue member with the fewest open cases', async () => {
    await cases.putQueue('support', { members: ['ann', 'bob', 'cat'], managers: [] });
    await openAssigned('ann', 2);
    await openAssigned('bob', 3);
    await openAssigned('cat', 1);
    const c = await open();
    expect((await cases.assign(c.id, { auto: true }, ctx)).assigneeId).toBe('cat');
    expect(repo.agentOpenOf('cat')).toBe(2);
  });

  it('breaks ties by the order the queue lists its members', async () => {
    await cases.putQueue('support', { members: ['ann', 'bob', 'cat'], managers: [] });
    await openAssigned('ann', 2);
    await openAssigned('bob', 1);
    await openAssigned('cat', 1);
    expect((await cases.assign((await open()).id, { auto: true }, ctx)).assigneeId).toBe('bob');
  });

  it('counts a member without any case as zero open cases', async () => {
    await cases.putQueue('support', { members: ['ann', 'new'], managers: [] });
    await openAssigned('ann', 1);
    expect((await cases.assign((await open()).id, { auto: true }, ctx)).assigneeId).toBe('new');
  });

  it('refuses auto-assignment with UnprocessableError when the queue has no members or does not exist', async () => {
    await cases.putQueue('support', { members: [], managers: [] });
    const c = await open();
    await expect(cases.assign(c.id, { auto: true }, ctx)).rejects.toBeInstanceOf(UnprocessableError);
    const elsewhere = await open({ queue: 'nowhere' });
    await expect(cases.assign(elsewhere.id, { auto: true }, ctx)).rejects.toBeInstanceOf(UnprocessableError);
    expect((await cases.get(c.id)).assigneeId).toBeNull();
  });
});

describe('queues', () => {
  it('refuses a queue that escalates to itself', async () => {
    await expect(cases.putQueue('support', { members: [], managers: [], escalateTo: 'support' })).rejects.toBeInstanceOf(ValidationError);
    expect(await cases.getQueue('support')).toBeUndefined();
  });

  it('stores members and managers once each, escalateTo null when not given', async () => {
    const queue = await cases.putQueue('support', { members: ['ann', 'ann', 'bob'], managers: ['boss@example.com', 'boss@example.com'] });
    expect(queue).toEqual({ name: 'support', members: ['ann', 'bob'], managers: ['boss@example.com'], escalateTo: null, updatedAt: T0 });
    expect(await cases.getQueue('support')).toEqual(queue);
  });
});

describe('SLA policy versions', () => {
  it('saves versions 1, 2, ... and opens new cases under the newest', async () => {
    expect((await cases.policy()).version).toBe(1);
    const second = await cases.putPolicy({ ...ROUND_INPUT, targets: { ...ROUND_INPUT.targets, normal: { firstResponseMinutes: 30, resolutionMinutes: 60, calendar: '24x7' } } });
    expect(second.version).toBe(2);
    expect((await cases.policy()).version).toBe(2);
    const c = await open();
    expect(c.sla).toMatchObject({ policyVersion: 2, firstResponseDueAt: iso(T0, 30), resolutionDueAt: iso(T0, 60) });
  });

  it('keeps a case on the version it was opened under, also when its due times are recomputed later', async () => {
    const before = await open();
    await cases.putPolicy({ ...ROUND_INPUT, targets: { ...ROUND_INPUT.targets, high: { firstResponseMinutes: 5, resolutionMinutes: 10, calendar: '24x7' } } });
    minutes(30);
    const raised = await cases.patch(before.id, { priority: 'high' }, undefined, ctx);
    // Version 1's high target (120 / 480), not version 2's (5 / 10).
    expect(raised.sla).toMatchObject({ policyVersion: 1, firstResponseDueAt: iso(T0, 120), resolutionDueAt: iso(T0, 480) });
  });
});

describe('sweepSla', () => {
  it('records the warning and then the breach once each, however often it runs', async () => {
    const c = await open();
    minutes(179);
    expect(await cases.sweepSla(ctx)).toEqual({ checked: 0, warnings: 0, breaches: 0 });
    minutes(180);
    expect(await cases.sweepSla(ctx)).toEqual({ checked: 1, warnings: 1, breaches: 0 });
    expect(await cases.sweepSla(ctx)).toEqual({ checked: 0, warnings: 0, breaches: 0 });
    minutes(240);
    expect(await cases.sweepSla(ctx)).toEqual({ checked: 1, warnings: 0, breaches: 1 });
    minutes(241);
    expect(await cases.sweepSla(ctx)).toEqual({ checked: 0, warnings: 0, breaches: 0 });
    expect(detailTypes().filter((t) => t.startsWith('CaseSla'))).toEqual(['CaseSlaWarning', 'CaseSlaBreached']);
    const stored = await cases.get(c.id);
    expect(stored.sla.warned).toEqual(['firstResponse']);
    expect(stored.sla.breaches).toEqual([{ milestone: 'firstResponse', dueAt: iso(T0, 240), at: iso(T0, 240), escalated: false }]);
    expect(repo.slaWatchOf(c.id)).toBe(iso(T0, 720)); // the resolution warning is next
  });

  it('records no breach for a case answered before its due time', async () => {
    const c = await open();
    minutes(200);
    await cases.comment(c.id, { body: 'On it', visibility: 'public' }, staff, ctx);
    minutes(300);
    await cases.sweepSla(ctx);
    expect((await cases.get(c.id)).sla.breaches).toEqual([]);
    expect(detailTypes()).not.toContain('CaseSlaBreached');
  });
});

describe('escalate', () => {
  async function breachedCase(): Promise<Case> {
    await cases.putQueue('support', { members: [], managers: [], escalateTo: 'tier2' });
    const c = await open();
    minutes(240);
    await cases.sweepSla(ctx);
    minutes(245);
    return c;
  }

  it('escalates a breach once; the same breach delivered again returns undefined', async () => {
    const c = await breachedCase();
    const breach = { caseId: c.id, milestone: 'firstResponse' as const, dueAt: c.sla.firstResponseDueAt };
    const first = await cases.escalate(breach, ctx);
    expect(first).toMatchObject({ escalationLevel: 1, priority: 'high', queue: 'tier2' });
    expect(await cases.escalate(breach, ctx)).toBeUndefined();
    expect(detailTypes().filter((t) => t === 'CaseEscalated')).toHaveLength(1);
    expect(await cases.get(c.id)).toEqual(first);
  });

  it('takes the case from its old assignee to the member of the new queue with the fewest open cases', async () => {
    await cases.putQueue('tier2', { members: ['busy', 'free'], managers: [] });
    await cases.assign((await open({ queue: 'tier2' })).id, { assigneeId: 'busy' }, ctx);
    const c = await breachedCase();
    await cases.assign(c.id, { assigneeId: 'ann' }, ctx);
    expect(repo.agentOpenOf('ann')).toBe(1);
    const escalated = await cases.escalate({ caseId: c.id, milestone: 'firstResponse', dueAt: c.sla.firstResponseDueAt }, ctx);
    expect(escalated).toMatchObject({ queue: 'tier2', assigneeId: 'free' });
    expect(repo.agentOpenOf('ann')).toBe(0);
    expect(repo.agentOpenOf('free')).toBe(1);
    expect(detailTypes().slice(-3)).toEqual(['CaseEscalated', 'CasePriorityChanged', 'CaseAssigned']);
  });

  it('never hands the case back to the agent it leaves, and leaves it unassigned when the new queue has nobody else', async () => {
    await cases.putQueue('tier2', { members: ['ann'], managers: [] });
    const c = await breachedCase();
    await cases.assign(c.id, { assigneeId: 'ann' }, ctx);
    const escalated = await cases.escalate({ caseId: c.id, milestone: 'firstResponse', dueAt: c.sla.firstResponseDueAt }, ctx);
    expect(escalated).toMatchObject({ queue: 'tier2', assigneeId: null });
    expect(repo.agentOpenOf('ann')).toBe(0);
  });

  it('does not escalate a case solved after the breach was recorded', async () => {
    const c = await breachedCase();
    await cases.patch(c.id, { status: 'solved' }, undefined, ctx);
    expect(await cases.escalate({ caseId: c.id, milestone: 'firstResponse', dueAt: c.sla.firstResponseDueAt }, ctx)).toBeUndefined();
    expect(detailTypes()).not.toContain('CaseEscalated');
  });
});

describe('report', () => {
  it('reports from the counters the writes kept, per queue and for all queues', async () => {
    const a = await open();
    await open();
    await open({ queue: 'billing' });
    minutes(30);
    await cases.comment(a.id, { body: 'Hello', visibility: 'public' }, staff, ctx);
    minutes(60);
    await cases.patch(a.id, { status: 'solved' }, undefined, ctx);
    minutes(240);
    await cases.sweepSla(ctx); // b and the billing case breach their first response
    const day = T0.slice(0, 10);
    expect(await cases.report(day, day, 'support')).toEqual({
      opened: 2,
      solved: 1,
      firstResponseMetPercent: 100,
      resolutionMetPercent: 100,
      medianFirstResponseMinutes: 38, // one value in [30, 45)
      medianResolutionMinutes: 75, // one value in [60, 90)
      breachedOpen: 1,
      breaches: 1, // recorded by the sweep on the day it ran
      days: [{ day, opened: 2, solved: 1, firstResponseMetPercent: 100, resolutionMetPercent: 100, breaches: 1 }],
    });
    expect(await cases.report(day, day)).toMatchObject({ opened: 3, solved: 1, breachedOpen: 2, breaches: 2 });
    expect(await cases.report('2025-01-16', '2025-01-31', 'support')).toMatchObject({ opened: 0, solved: 0, breachedOpen: 1 });
  });
});

describe('report dates', () => {
  // T0 is 2025-01-15 10:00 UTC: the last 30 days are 2024-12-17 .. 2025-01-15.
  async function openAt(day: string) {
    clock.set(new Date(`${day}T12:00:00.000Z`));
    await open();
  }

  it('covers the last 30 days, today included, when neither from nor to is given', async () => {
    await openAt('2024-12-16'); // 31 days back: outside
    await openAt('2024-12-17');
    await openAt('2025-01-15');
    clock.set(new Date(T0));
    expect(await cases.report()).toMatchObject({ opened: 2 });
    expect(await cases.report(undefined, undefined, 'support')).toMatchObject({ opened: 2 });
  });

  it('runs from `from` to today without `to`, and over the 30 days up to `to` without `from`', async () => {
    await openAt('2024-12-01');
    await openAt('2024-12-31');
    await openAt('2025-01-15');
    clock.set(new Date(T0));
    expect(await cases.report('2024-12-31')).toMatchObject({ opened: 2 });
    expect(await cases.report(undefined, '2024-12-31')).toMatchObject({ opened: 1 }); // 2024-12-02 .. 2024-12-31
    expect(await cases.report(undefined, '2024-12-30')).toMatchObject({ opened: 1 }); // 2024-12-01 .. 2024-12-30
  });

  it('refuses from after to (also after today when to is left out) and more than a year, naming the field', async () => {
    await expect(cases.report('2025-02-01', '2025-01-01')).rejects.toMatchObject({ issues: [{ path: 'from', message: 'from must not be after to' }] });
    await expect(cases.report('2025-01-16')).rejects.toBeInstanceOf(ValidationError);
    await expect(cases.report('2023-01-01', '2025-01-01')).rejects.toMatchObject({ issues: [{ path: 'to', message: 'at most one year at a time' }] });
  });
});
