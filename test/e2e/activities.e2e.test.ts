import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

// Activities through the local runtime: create (idempotent), read, list by owner and state,
// patch with If-Match, complete (twice is fine), and roles.

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
