import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

// Activities through the local runtime: create (idempotent), read, list by owner and state,
// patch with If-Match, complete (twice is fine), roles, and the due reminder on the virtual clock
// (POST /_local/clock/advance brings the one-off schedule's time).

let t: TestRuntime;
const mergePatch = { 'content-type': 'application/merge-patch+json' };
const patch = (id: string, body: Record<string, unknown>, version?: number) =>
  t.call('PATCH', `/activities/${id}`, { role: 'agent', body, headers: { ...mergePatch, ...(version ? { 'if-match': `"${version}"` } : {}) } });

beforeAll(async () => {
  t = await startTestRuntime();
});
afterAll(async () => {
  await t?.runtime.stop();
});

describe('activities', () => {
  it('creates (201, Location, ETag), reads, lists by owner and state, patches with If-Match and completes once', async () => {
    const created = await t.call('POST', '/activities', { role: 'agent', body: { type: 'call', subject: ' Intro call ', ownerId: 'rep-1', accountId: 'acc-1' } });
    expect(created.status, created.text).toBe(201);
    const a = created.json;
    expect(created.headers.get('location')).toBe(`/activities/${a.id}`);
    expect(created.headers.get('etag')).toBe('"1"');
    expect(a).toMatchObject({ type: 'call', subject: 'Intro call', ownerId: 'rep-1', accountId: 'acc-1', customerId: null, dueAt: null, completedAt: null, version: 1 });
    const other = (await t.call('POST', '/activities', { role: 'manager', body: { type: 'task', subject: 'Send quote', ownerId: 'rep-1' } })).json;
    await t.call('POST', '/activities', { role: 'admin', body: { type: 'email', subject: 'Someone else', ownerId: 'rep-2' } });

    expect((await t.call('GET', `/activities/${a.id}`, { role: 'marketer' })).json).toEqual(a);
    expect((await t.call('GET', '/activities/nope', { role: 'agent' })).status).toBe(404);
    const mine = await t.call('GET', '/activities?owner=rep-1', { role: 'agent' });
    expect(mine.json.items.map((x: { id: string }) => x.id)).toEqual([other.id, a.id]);

    expect((await patch(a.id, { subject: 'x' }, 5)).status).toBe(412);
    expect((await patch(a.id, { completedAt: '2025-01-01T00:00:00.000Z' })).status).toBe(400);
    const done = await patch(a.id, { completed: true, subject: 'Intro call (done)' }, 1);
    expect(done.status, done.text).toBe(200);
    expect(done.headers.get('etag')).toBe('"2"');
    expect(done.json.completedAt).not.toBeNull();
    const again = await patch(a.id, { completed: true });
    expect(again.status).toBe(200);
    expect(again.json.completedAt).toBe(done.json.completedAt);

    const open = await t.call('GET', '/activities?owner=rep-1&open=true', { role: 'agent' });
    expect(open.json.items.map((x: { id: string }) => x.id)).toEqual([other.id]);
    const closed = await t.call('GET', '/activities?owner=rep-1&open=false', { role: 'agent' });
    expect(closed.json.items.map((x: { id: string }) => x.id)).toEqual([a.id]);
    const everybody = await t.call('GET', '/activities?open=true', { role: 'agent' });
    expect(everybody.json.items.map((x: { ownerId: string }) => x.ownerId).sort()).toEqual(['rep-1', 'rep-2']);
  });

  it('refuses bad input with 400 and changes nothing', async () => {
    for (const body of [{ type: 'lunch', subject: 'x', ownerId: 'r' }, { type: 'call', subject: '', ownerId: 'r' }, { type: 'call', subject: 'x' }, { type: 'call', subject: 'x', ownerId: 'r', dueAt: 'soon' }]) {
      expect((await t.call('POST', '/activities', { role: 'agent', body })).status).toBe(400);
    }
    expect((await t.call('GET', '/activities?open=maybe', { role: 'agent' })).status).toBe(400);
  });

  it('is staff-only: a customer is 403, a marketer reads but does not write', async () => {
    const body = { type: 'call', subject: 'x', ownerId: 'r' };
    expect((await t.call('POST', '/activities', { role: 'customer', body })).status).toBe(403);
    expect((await t.call('GET', '/activities', { role: 'customer' })).status).toBe(403);
    expect((await t.call('POST', '/activities', { role: 'marketer', body })).status).toBe(403);
    expect((await t.call('GET', '/activities', { role: 'marketer' })).status).toBe(200);
  });
});

const advance = async (seconds: number) => expect((await t.call('POST', '/_local/clock/advance', { role: null, body: { seconds } })).status).toBe(200);
const inOneHour = async () => new Date(new Date((await t.call('GET', '/_local/clock', { role: null })).json.now).getTime() + 3600_000).toISOString();
async function dueEvents(): Promise<{ activityId: string; dueAt: string }[]> {
  const events = (await t.call('GET', '/_local/events?limit=500', { role: null })).json.items as { detailType: string; detail: { data: { activityId: string; dueAt: string } } }[];
  return events.filter((e) => e.detailType === 'ActivityDue').map((e) => e.detail.data);
}

describe('the due reminder', () => {
  it('records ActivityDue at dueAt for an open activity, once, at the moved time; a completed one fires nothing', async () => {
    const dueAt = await inOneHour();
    const open = (await t.call('POST', '/activities', { role: 'agent', body: { type: 'call', subject: 'Call back', ownerId: 'rep-due', dueAt } })).json;
    const moved = (await t.call('POST', '/activities', { role: 'agent', body: { type: 'meeting', subject: 'Moved', ownerId: 'rep-due', dueAt } })).json;
    const later = new Date(new Date(dueAt).getTime() + 2 * 3600_000).toISOString();
    expect((await patch(moved.id, { dueAt: later })).status).toBe(200);
    const done = (await t.call('POST', '/activities', { role: 'agent', body: { type: 'task', subject: 'Done early', ownerId: 'rep-due', dueAt } })).json;
    expect((await patch(done.id, { completed: true })).status).toBe(200);

    await advance(1800);
    await t.runtime.idle();
    expect((await dueEvents()).filter((e) => [open.id, moved.id, done.id].includes(e.activityId))).toEqual([]);
    await advance(3600);
    await eventually(async () => ((await dueEvents()).some((e) => e.activityId === open.id) ? true : undefined));
    await t.runtime.idle();
    const fired = (await dueEvents()).filter((e) => [open.id, moved.id, done.id].includes(e.activityId));
    expect(fired).toEqual([{ activityId: open.id, ownerId: 'rep-due', dueAt }]);
    await advance(2 * 3600);
    await eventually(async () => ((await dueEvents()).some((e) => e.activityId === moved.id) ? true : undefined));
    await t.runtime.idle();
    const all = (await dueEvents()).filter((e) => [open.id, moved.id, done.id].includes(e.activityId));
    expect(all.sort((a, b) => a.dueAt.localeCompare(b.dueAt))).toEqual([
      { activityId: open.id, ownerId: 'rep-due', dueAt },
      { activityId: moved.id, ownerId: 'rep-due', dueAt: later },
    ]);
  });
});
