import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

// A person's own erasure request through the real local runtime: DELETE /me writes the request
// and its event, the rule makes scheduledErasure create the one-off schedule, and the virtual
// clock (POST /_local/clock/advance) brings the end of the grace period (7 days by default).

let t: TestRuntime;
beforeAll(async () => {
  t = await startTestRuntime();
});
afterAll(async () => {
  await t?.runtime.stop();
});

const DAY = 86_400;
const advance = async (seconds: number) => expect((await t.call('POST', '/_local/clock/advance', { role: null, body: { seconds } })).status).toBe(200);
const newCustomer = async (email: string) => {
  const created = await t.call('POST', '/customers', { body: { email, firstName: 'Erin' } });
  expect(created.status).toBe(201);
  return created.json.id as string;
};
const as = async (customerId: string) => ({ role: null, headers: { authorization: `Bearer ${await t.token('customer', customerId)}` } });
const pendingIds = async () => ((await t.call('GET', '/erasure-requests?limit=100', { role: 'manager' })).json.items as { customerId: string }[]).map((r) => r.customerId);

describe('a person erasing themselves after a grace period', () => {
  it('erases a person 7 days after DELETE /me, not before; a person who cancels stays; nobody can cancel for another', async () => {
    const a = await newCustomer('leaving@example.com');
    const b = await newCustomer('staying@example.com');
    const opened = await t.call('POST', '/cases', { body: { customerId: a, subject: 'Close my account please', channel: 'email', queue: 'support' } });
    expect(opened.status).toBe(201);

    const requestedAt = Date.parse((await t.call('GET', '/_local/clock', { role: null })).json.now);
    const asked = await t.call('DELETE', '/me', await as(a));
    expect(asked.status).toBe(202);
    expect(asked.json).toMatchObject({ customerId: a, status: 'pending', cancelledAt: null });
    expect(Date.parse(asked.json.runAt) - Date.parse(asked.json.requestedAt)).toBeGreaterThanOrEqual(7 * DAY * 1000);
    expect(Date.parse(asked.json.runAt) - requestedAt).toBeLessThan(7 * DAY * 1000 + 60_000);
    // Asking again is the same request, not a later one.
    const again = await t.call('DELETE', '/me', await as(a));
    expect([again.status, again.json]).toEqual([202, asked.json]);
    expect((await t.call('GET', '/me/erasure', await as(a))).json).toEqual(asked.json);

    // Run times are whole seconds; B asks a few seconds later, so B's runs later.
    await advance(5);
    expect((await t.call('DELETE', '/me', await as(b))).status).toBe(202);
    await t.runtime.idle();
    expect(await pendingIds()).toEqual([a, b]);
    expect((await t.call('GET', '/erasure-requests', { role: 'agent' })).status).toBe(403);
    // Each person is told, once, when their erasure runs.
    const confirmation = `Your account will be erased on ${asked.json.runAt.slice(0, 10)} ${asked.json.runAt.slice(11, 16)} UTC`;
    expect((await mailsTo('leaving@example.com')).map((m) => m.subject)).toEqual([confirmation]);
    expect(await mailsTo('staying@example.com')).toHaveLength(1);

    // B's cancel reaches only B's own request (the route takes no id): A's stays pending.
    const cancelled = await t.call('POST', '/me/erasure/cancel', await as(b));
    expect(cancelled.status).toBe(200);
    expect(cancelled.json).toMatchObject({ customerId: b, status: 'cancelled' });
    expect((await t.call('POST', '/me/erasure/cancel', await as(b))).status).toBe(404);
    expect((await t.call('GET', '/me/erasure', await as(b))).status).toBe(404);
    expect((await t.call('GET', '/me/erasure', await as(a))).json.status).toBe('pending');
    await t.runtime.idle();
    expect(await pendingIds()).toEqual([a]);

    // During the grace period the profile is used as always.
    expect((await t.call('PATCH', `/customers/${a}`, { body: { lastName: 'Still here' }, headers: { 'content-type': 'application/merge-patch+json' } })).status).toBe(200);

    await advance(7 * DAY - 3600);
    expect((await t.call('GET', `/customers/${a}`)).status).toBe(200);
    expect(await pendingIds()).toEqual([a]);

    await advance(2 * 3600);
    expect((await t.call('GET', `/customers/${a}`)).status).toBe(404);
    expect((await t.call('GET', `/cases/${opened.json.id}`)).json).toMatchObject({ subject: '[erased]', number: opened.json.number });
    expect(await pendingIds()).toEqual([]);
    expect((await t.call('GET', '/me/erasure', await as(a))).status).toBe(404);
    // B cancelled in time and is still there, request history and all.
    expect((await t.call('GET', `/customers/${b}`)).json).toMatchObject({ id: b, email: 'staying@example.com' });
    expect(await eventsOf('CustomerErased')).toEqual([a]);
  });

  it('starts a new request after a cancel, with a new run time', async () => {
    const c = await newCustomer('undecided@example.com');
    const first = await t.call('DELETE', '/me', await as(c));
    expect((await t.call('POST', '/me/erasure/cancel', await as(c))).status).toBe(200);
    await advance(3600);
    const second = await t.call('DELETE', '/me', await as(c));
    expect(second.status).toBe(202);
    expect(second.json.status).toBe('pending');
    expect(Date.parse(second.json.runAt)).toBeGreaterThan(Date.parse(first.json.runAt));
    await t.runtime.idle();
    // The first request's run time passes: nothing happens (its schedule was replaced by the second's).
    await advance(7 * DAY - 1800);
    expect((await t.call('GET', `/customers/${c}`)).status).toBe(200);
    await advance(3600);
    expect((await t.call('GET', `/customers/${c}`)).status).toBe(404);
  });

  it('refuses a request from a person whose erasure by staff has begun or is done', async () => {
    const d = await newCustomer('gone@example.com');
    expect((await t.call('DELETE', `/customers/${d}`, { role: 'manager', headers: { 'if-match': '"1"' } })).status).toBe(204);
    const refused = await t.call('DELETE', '/me', await as(d));
    expect(refused.status).toBe(409);
    expect(refused.json.type).toBe('urn:ecrm:problem:erased');
  });
});

async function eventsOf(detailType: string): Promise<string[]> {
  const events = (await t.call('GET', '/_local/events?limit=500', { role: null })).json.items as { detailType: string; detail: { data: { customerId: string } } }[];
  return events.filter((e) => e.detailType === detailType).map((e) => e.detail.data.customerId);
}

async function mailsTo(address: string): Promise<{ subject: string }[]> {
  const { emails } = (await (await fetch(`${t.runtime.sesUrl}/store`)).json()) as { emails: { subject: string; destination: { to: string[] } }[] };
  return emails.filter((e) => e.destination.to.includes(address));
}
