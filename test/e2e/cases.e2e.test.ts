import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

// Cases, SLA timers and escalation through the real local runtime: stream -> bus -> consumers ->
// aws-ses-v2-local, driven by the virtual clock (POST /_local/clock/advance).

let t: TestRuntime;
let customerId: string;
const TEST_POLICY = {
  timezone: 'Europe/Berlin',
  businessHours: { mon: [['09:00', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '17:00']], thu: [['09:00', '17:00']], fri: [['09:00', '17:00']], sat: [], sun: [] },
  holidays: [],
  // 24x7 calendars keep these tests independent of the hour they run at; business-hour math is
  // covered exactly in test/domain/sla-calendar.test.ts.
  targets: {
    urgent: { firstResponseMinutes: 10, resolutionMinutes: 60, calendar: '24x7' },
    high: { firstResponseMinutes: 20, resolutionMinutes: 120, calendar: '24x7' },
    normal: { firstResponseMinutes: 30, resolutionMinutes: 240, calendar: '24x7' },
    low: { firstResponseMinutes: 60, resolutionMinutes: 480, calendar: '24x7' },
  },
  warnAtPercent: 50,
};

beforeAll(async () => {
  t = await startTestRuntime();
  customerId = (await t.call('POST', '/customers', { body: { email: 'case-customer@example.com', firstName: 'Cora', lastName: 'Client' } })).json.id;
  expect((await t.call('PUT', '/sla-policy', { role: 'admin', body: TEST_POLICY })).status).toBe(200);
  await t.call('PUT', '/queues/support', { role: 'admin', body: { members: ['ann@agents.test', 'bob@agents.test'], managers: ['boss@managers.test'], escalateTo: 'tier2' } });
  await t.call('PUT', '/queues/tier2', { role: 'admin', body: { members: ['expert@agents.test'], managers: ['tier2-boss@managers.test'] } });
});
afterAll(async () => {
  await t?.runtime.stop();
});

const open = async (body: Record<string, unknown> = {}) => {
  const res = await t.call('POST', '/cases', { body: { customerId, subject: 'Parcel missing', channel: 'email', queue: 'support', ...body } });
  expect(res.status, res.text).toBe(201);
  return res.json;
};
const advance = async (minutes: number) => {
  const res = await t.call('POST', '/_local/clock/advance', { role: null, body: { seconds: minutes * 60 } });
  expect(res.status).toBe(200);
  await t.runtime.idle();
};
const emails = async () => ((await (await fetch(`${t.runtime.sesUrl}/store`)).json()) as { emails: unknown }).emails as { subject: string; destination: { to: string[] }; text?: string; body?: { text?: string } }[];
const emailsAbout = async (number: string) => (await emails()).filter((e) => e.subject.includes(`${number}:`));

describe('cases', () => {
  it('opens a case with an increasing number, status open and SLA due times from the policy', async () => {
    const a = await open();
    const b = await open();
    expect(a.status).toBe('open');
    expect(Number(b.number.slice(5))).toBeGreaterThan(Number(a.number.slice(5)));
    expect(a.sla.policyVersion).toBeGreaterThanOrEqual(1);
    expect(Date.parse(a.sla.firstResponseDueAt) - Date.parse(a.createdAt)).toBe(30 * 60_000);
    expect(Date.parse(a.sla.resolutionDueAt) - Date.parse(a.createdAt)).toBe(240 * 60_000);
    expect((await t.call('POST', '/cases', { body: { customerId: 'nobody', subject: 'x', channel: 'web' } })).status).toBe(422);
    expect((await t.call('POST', '/cases', { body: { customerId, subject: '', channel: 'web' } })).status).toBe(400);
    expect((await t.call('GET', `/cases/${a.id}`, { role: 'marketer' })).status).toBe(403);
  });

  it('moves only along the allowed status paths; a closed case is read-only', async () => {
    const c = await open();
    const patch = (status: string) => t.call('PATCH', `/cases/${c.id}`, { body: { status } });
    expect((await patch('closed')).status).toBe(409);
    expect((await patch('pending')).json.status).toBe('pending');
    expect((await patch('on_hold')).status).toBe(409);
    expect((await patch('open')).json.status).toBe('open');
    expect((await patch('solved')).json.solvedAt).not.toBeNull();
    expect((await patch('open')).json.solvedAt).toBeNull();
    await patch('solved');
    const closed = await patch('closed');
    expect(closed.json.closedAt).not.toBeNull();
    expect((await patch('open')).status).toBe(409);
    expect((await t.call('PATCH', `/cases/${c.id}`, { body: { subject: 'changed' } })).status).toBe(409);
    expect((await t.call('POST', `/cases/${c.id}/comments`, { body: { body: 'hi', visibility: 'public' } })).status).toBe(409);
    const stale = await t.call('PATCH', `/cases/${(await open()).id}`, { body: { subject: 'x' }, headers: { 'if-match': '"9"' } });
    expect(stale.status).toBe(412);
  });

  it('lists by status, queue, queue+status, assignee, priority and customer with one index each', async () => {
    const c = await open({ priority: 'low', queue: 'listing' });
    await t.call('POST', `/cases/${c.id}/assign`, { body: { assigneeId: 'lister@agents.test' } });
    const ids = async (qs: string) => {
      const res = await t.call('GET', `/cases?${qs}&limit=100`);
      expect(res.status, qs).toBe(200);
      return res.json.items.map((x: { id: string }) => x.id);
    };
    expect(await ids('queue=listing')).toEqual([c.id]);
    expect(await ids('queue=listing&status=open')).toEqual([c.id]);
    expect(await ids('queue=listing&status=pending')).toEqual([]);
    expect(await ids('assigneeId=lister@agents.test')).toEqual([c.id]);
    expect(await ids('priority=low&status=open')).toContain(c.id);
    expect(await ids(`customerId=${customerId}`)).toContain(c.id);
    expect(await ids('status=open')).toContain(c.id);
    expect((await t.call('GET', '/cases?queue=a&assigneeId=b')).status).toBe(400);
    expect((await t.call('GET', '/cases?status=nope')).status).toBe(400);
  });

  it('takes comments; the first public staff comment is the first response', async () => {
    const c = await open();
    const internal = await t.call('POST', `/cases/${c.id}/comments`, { body: { body: 'checking the warehouse', visibility: 'internal' } });
    expect(internal.status).toBe(201);
    expect((await t.call('GET', `/cases/${c.id}`)).json.firstRespondedAt).toBeNull();
    await t.call('POST', `/cases/${c.id}/comments`, { body: { body: 'We are on it.', visibility: 'public' } });
    const read = (await t.call('GET', `/cases/${c.id}`)).json;
    expect(read.firstRespondedAt).not.toBeNull();
    const comments = await t.call('GET', `/cases/${c.id}/comments`);
    expect(comments.json.items.map((x: { visibility: string }) => x.visibility)).toEqual(['internal', 'public']);
    const timeline = await t.call('GET', `/customers/${customerId}/timeline?limit=100`);
    const summaries = timeline.json.items.map((i: { summary: string }) => i.summary);
    expect(summaries).toContain('We are on it.');
    expect(summaries).not.toContain('checking the warehouse');
    expect(summaries).toContain(`${c.number}: Parcel missing`);
  });

  it('keeps a comment without visibility internal: off the timeline, no first response', async () => {
    const c = await open();
    const added = await t.call('POST', `/cases/${c.id}/comments`, { body: { body: 'Supplier says Tuesday' } });
    expect(added.status, added.text).toBe(201);
    expect(added.json.visibility).toBe('internal');
    expect((await t.call('GET', `/cases/${c.id}`)).json.firstRespondedAt).toBeNull();
    await t.runtime.idle();
    const timeline = await t.call('GET', `/customers/${customerId}/timeline?limit=100`);
    expect(timeline.json.items.map((i: { summary: string }) => i.summary)).not.toContain('Supplier says Tuesday');
  });

  it('auto-assigns to the queue member with the fewest open cases', async () => {
    await t.call('PUT', '/queues/auto', { role: 'admin', body: { members: ['busy@agents.test', 'free@agents.test'], managers: [] } });
    const first = await open({ queue: 'auto' });
    await t.call('POST', `/cases/${first.id}/assign`, { body: { assigneeId: 'busy@agents.test' } });
    const second = await open({ queue: 'auto' });
    const assigned = await t.call('POST', `/cases/${second.id}/assign`, { body: { auto: true } });
    expect(assigned.json.assigneeId).toBe('free@agents.test');
    const empty = await open({ queue: 'nobody-here' });
    expect((await t.call('POST', `/cases/${empty.id}/assign`, { body: { auto: true } })).status).toBe(422);
  });
});

describe('cases and merged customers', () => {
  it("moves a merged-away customer's cases (closed ones too) to the customer it was merged into", async () => {
    const target = (await t.call('POST', '/customers', { body: { email: 'merge-target@example.com' } })).json;
    const source = (await t.call('POST', '/customers', { body: { email: 'merge-source@example.com' } })).json;
    const open1 = await open({ customerId: source.id });
    const closed = await open({ customerId: source.id });
    await t.call('PATCH', `/cases/${closed.id}`, { body: { status: 'solved' } });
    await t.call('PATCH', `/cases/${closed.id}`, { body: { status: 'closed' } });
    expect((await t.call('POST', `/customers/${target.id}/merge`, { body: { sourceId: source.id } })).status).toBe(200);
    await t.runtime.idle();
    const ids = await eventually(async () => {
      const found = (await t.call('GET', `/cases?customerId=${target.id}`)).json.items.map((c: { id: string }) => c.id);
      return found.length === 2 ? found : undefined;
    });
    expect(ids.sort()).toEqual([open1.id, closed.id].sort());
    expect((await t.call('GET', `/cases?customerId=${source.id}`)).json.items).toEqual([]);
    expect((await t.call('GET', `/cases/${closed.id}`)).json).toMatchObject({ customerId: target.id, status: 'closed' });
  });
});

describe('SLA escalation', () => {
  it('warns the assignee once, then escalates once on breach and emails the managers', async () => {
    const c = await open();
    await t.call('POST', `/cases/${c.id}/assign`, { body: { assigneeId: 'ann@agents.test' } });
    await advance(16); // 50 % of the 30-minute first-response target
    const warnings = (await emailsAbout(c.number)).filter((e) => e.subject.startsWith('[SLA warning]'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.destination.to).toEqual(['ann@agents.test']);

    await advance(15); // past the due time
    const escalated = (await t.call('GET', `/cases/${c.id}`)).json;
    // tier2 has a member: the case leaves ann for her.
    expect(escalated).toMatchObject({ escalationLevel: 1, priority: 'high', queue: 'tier2', assigneeId: 'expert@agents.test' });
    expect(escalated.sla.breaches).toEqual([expect.objectContaining({ milestone: 'firstResponse', dueAt: c.sla.firstResponseDueAt, escalated: true })]);
    const mails = (await emailsAbout(c.number)).filter((e) => e.subject.startsWith('[Escalated'));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.destination.to.sort()).toEqual(['boss@managers.test', 'expert@agents.test', 'tier2-boss@managers.test']);
    const text = JSON.stringify(mails[0]);
    expect(text).toContain(c.number);
    expect(text).toContain('Parcel missing');
    expect(text).toContain('Cora Client');
    expect(text).toMatch(/missed by \d+ minute/);

    await advance(5); // the same breach is never escalated twice
    expect((await t.call('GET', `/cases/${c.id}`)).json.escalationLevel).toBe(1);
    expect((await emailsAbout(c.number)).filter((e) => e.subject.startsWith('[Escalated'))).toHaveLength(1);
  });

  it('takes an escalated case from its old assignee to the new queue, where its later SLA notices go', async () => {
    await t.call('PUT', '/queues/front', { role: 'admin', body: { members: ['ann@agents.test'], managers: ['front-boss@managers.test'], escalateTo: 'backoffice' } });
    await t.call('PUT', '/queues/backoffice', { role: 'admin', body: { members: [], managers: ['backoffice-boss@managers.test'] } });
    const toTier2 = await open(); // support -> tier2 (one member)
    const toBackoffice = await open({ queue: 'front' }); // front -> backoffice (no members)
    for (const c of [toTier2, toBackoffice]) await t.call('POST', `/cases/${c.id}/assign`, { body: { assigneeId: 'ann@agents.test' } });

    await advance(16); // the first-response warnings go to ann, who holds both cases
    await advance(15); // both breach their 30-minute first response and escalate
    expect((await t.call('GET', `/cases/${toTier2.id}`)).json).toMatchObject({ queue: 'tier2', assigneeId: 'expert@agents.test' });
    expect((await t.call('GET', `/cases/${toBackoffice.id}`)).json).toMatchObject({ queue: 'backoffice', assigneeId: null });
    const annsCases = (await t.call('GET', '/cases?assigneeId=ann@agents.test&limit=100')).json.items.map((x: { id: string }) => x.id);
    expect(annsCases).not.toContain(toTier2.id);
    expect(annsCases).not.toContain(toBackoffice.id);

    await advance(90); // past 50 % of the 240-minute resolution target: the resolution warnings
    const warningTo = async (number: string) =>
      (await emailsAbout(number)).filter((e) => e.subject.startsWith('[SLA warning]')).map((e) => e.destination.to);
    // The resolution warnings follow the cases.
    expect(await warningTo(toTier2.number)).toEqual([['ann@agents.test'], ['expert@agents.test']]);
    expect(await warningTo(toBackoffice.number)).toEqual([['ann@agents.test'], ['backoffice-boss@managers.test']]);
  });

  it('does not escalate a case answered before its due time', async () => {
    const c = await open();
    await t.call('POST', `/cases/${c.id}/comments`, { body: { body: 'Answered quickly.', visibility: 'public' } });
    await advance(35);
    const read = (await t.call('GET', `/cases/${c.id}`)).json;
    expect(read.escalationLevel).toBe(0);
    expect(read.sla.breaches).toEqual([]);
  });

  it('stops the resolution clock while pending and pushes the due time by the paused minutes', async () => {
    const c = await open({ priority: 'urgent' });
    await t.call('POST', `/cases/${c.id}/comments`, { body: { body: 'Please send a photo.', visibility: 'public' } });
    await t.call('PATCH', `/cases/${c.id}`, { body: { status: 'pending' } });
    await advance(90); // longer than the 60-minute resolution target
    expect((await t.call('GET', `/cases/${c.id}`)).json.sla.breaches).toEqual([]);
    const resumed = (await t.call('PATCH', `/cases/${c.id}`, { body: { status: 'open' } })).json;
    const pushed = Date.parse(resumed.sla.resolutionDueAt) - Date.parse(c.sla.resolutionDueAt);
    expect(pushed).toBeGreaterThanOrEqual(89 * 60_000);
    expect(pushed).toBeLessThanOrEqual(92 * 60_000);
    expect(resumed.sla.pausedSince).toBeNull();
  });

  it('emails the managers at once when a case is opened urgent or raised to urgent', async () => {
    const urgent = await open({ priority: 'urgent', subject: 'Site down' });
    await t.runtime.idle();
    await eventually(async () => ((await emailsAbout(urgent.number)).some((e) => e.subject.startsWith('[Urgent]')) ? true : undefined));
    const raised = await open({ subject: 'Getting worse' });
    await t.call('PATCH', `/cases/${raised.id}`, { body: { priority: 'urgent' } });
    await t.runtime.idle();
    const mails = await eventually(async () => {
      const found = (await emailsAbout(raised.number)).filter((e) => e.subject.startsWith('[Urgent]'));
      return found.length ? found : undefined;
    });
    expect(mails[0]!.destination.to).toEqual(['boss@managers.test']);
  });

  it('recomputes due times from the start when the priority changes', async () => {
    const c = await open();
    const raised = (await t.call('PATCH', `/cases/${c.id}`, { body: { priority: 'high' } })).json;
    expect(Date.parse(raised.sla.firstResponseDueAt) - Date.parse(c.createdAt)).toBe(20 * 60_000);
  });
});

describe('SLA policy and reports', () => {
  it('lets only admins change the policy, versions it, and validates it', async () => {
    expect((await t.call('PUT', '/sla-policy', { role: 'agent', body: TEST_POLICY })).status).toBe(403);
    const before = (await t.call('GET', '/sla-policy')).json.version;
    const bad = await t.call('PUT', '/sla-policy', { role: 'admin', body: { ...TEST_POLICY, businessHours: { ...TEST_POLICY.businessHours, mon: [['17:00', '09:00']] } } });
    expect(bad.status).toBe(400);
    expect((await t.call('GET', '/sla-policy')).json.version).toBe(before);
  });

  it('saves the policy over the version read (If-Match) and refuses a stale save with 412', async () => {
    const read = await t.call('GET', '/sla-policy', { role: 'manager' });
    const { version, createdAt: _createdAt, ...policy } = read.json;
    expect(read.headers.get('etag')).toBe(`"${version}"`);
    const saved = await t.call('PUT', '/sla-policy', { role: 'admin', body: policy, headers: { 'if-match': `"${version}"` } });
    expect(saved.status, saved.text).toBe(200);
    const stale = await t.call('PUT', '/sla-policy', { role: 'admin', body: policy, headers: { 'if-match': `"${version}"` } });
    expect(stale.status).toBe(412);
    expect((await t.call('GET', '/sla-policy')).json.version).toBe(version + 1);
  });

  it('reports opened, solved, met percentages, medians and breached open cases from counters', async () => {
    await t.call('PUT', '/queues/reporting', { role: 'admin', body: { members: [], managers: [] } });
    const a = await open({ queue: 'reporting' });
    const b = await open({ queue: 'reporting' });
    await t.call('POST', `/cases/${a.id}/comments`, { body: { body: 'Hello', visibility: 'public' } });
    await t.call('PATCH', `/cases/${a.id}`, { body: { status: 'solved' } });
    await advance(31); // b breaches its first response
    const today = new Date(Date.now() + 24 * 3600_000).toISOString().slice(0, 10);
    const from = new Date(Date.now() - 24 * 3600_000).toISOString().slice(0, 10);
    const res = await t.call('GET', `/reports/sla?from=${from}&to=${today}&queue=reporting`, { role: 'manager' });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ opened: 2, solved: 1, firstResponseMetPercent: 100, resolutionMetPercent: 100, breachedOpen: 1 });
    expect(res.json.medianFirstResponseMinutes).toBeGreaterThanOrEqual(0);
    // Breaches over time: b's breach counts on the day the sweep recorded it; every day of the range is listed.
    expect(res.json.breaches).toBe(1);
    expect(res.json.days.map((d: { day: string }) => d.day)).toEqual([from, new Date(Date.now()).toISOString().slice(0, 10), today]);
    expect(res.json.days.reduce((sum: number, d: { breaches: number }) => sum + d.breaches, 0)).toBe(1);
    // Without dates: the last 30 days, today included (the virtual clock's today).
    const lastThirtyDays = await t.call('GET', '/reports/sla?queue=reporting', { role: 'manager' });
    expect(lastThirtyDays.status, lastThirtyDays.text).toBe(200);
    const { days: lastThirty, ...lastThirtySummary } = lastThirtyDays.json;
    const { days: _days, ...summary } = res.json;
    expect(lastThirtySummary).toEqual(summary);
    expect(lastThirty).toHaveLength(30);
    expect((await t.call('GET', `/reports/sla?from=${today}&to=${from}`, { role: 'manager' })).status).toBe(400);
    expect((await t.call('GET', `/reports/sla?from=${from}&to=${today}`, { role: 'agent' })).status).toBe(403);
    void b;
  });
});
