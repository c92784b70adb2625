import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTE_TABLE, type RouteSpec } from '../../infra/topology.ts';
import { startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

// Issue 11: "Any attempt to reach another person's data through /me or the staff routes is a
// 404/403; tests cover every /me route against a second customer." Both lists come from the route
// table, so a /me route or staff route added later is covered without touching this file.

let t: TestRuntime;
const routes = ROUTE_TABLE as readonly RouteSpec[];
const meRoutes = routes.filter((r) => r.path === '/me' || r.path.startsWith('/me/'));
const staffRoutes = routes.filter((r) => r.access !== 'public' && !r.access.includes('customer'));

/** Alice: the person whose data must stay out of reach. Every value here is unique to her. */
const ALICE = { email: 'alice-isolated@example.com', firstName: 'Alicorn', lastName: 'Quillfeather' };
const ALICE_CASE = { subject: 'Alicorn private subject', description: 'Alicorn private description' };
const ALICE_PUBLIC = 'Alicorn public reply from support';
const ALICE_INTERNAL = 'Alicorn internal note about her';
let alice: { id: string; caseId: string; caseNumber: string };
let bob: { id: string; caseId: string };

/** A valid body for the self-service routes that take one; any other (a route added later) gets `{}`. */
const BODIES: Readonly<Record<string, unknown>> = {
  patchMe: { firstName: 'Mallory' },
  openMyCase: { subject: 'Bob opens a case' },
  addMyComment: { body: 'Bob writes on a case' },
  putMyConsents: { topics: { newsletter: true } },
};
const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);
/** The Idempotency-Key Alice opened her case with. */
const SHARED_KEY = 'my-first-case';

async function as(customerId: string, route: RouteSpec, path: string) {
  const token = await t.token('customer', customerId);
  const body = WITH_BODY.has(route.method) ? (BODIES[route.operationId] ?? {}) : undefined;
  const contentType = route.method === 'PATCH' ? 'application/merge-patch+json' : 'application/json';
  return t.call(route.method, path, { role: null, headers: { authorization: `Bearer ${token}`, 'content-type': contentType }, ...(body !== undefined ? { body } : {}) });
}

/** What staff see of Alice: it must be exactly the same after Bob's attempts. */
async function aliceAsStaffSeesHer() {
  return {
    profile: (await t.call('GET', `/customers/${alice.id}`)).json,
    case: (await t.call('GET', `/cases/${alice.caseId}`)).json,
    comments: (await t.call('GET', `/cases/${alice.caseId}/comments`)).json,
    timeline: (await t.call('GET', `/customers/${alice.id}/timeline?limit=100`)).json,
    consents: (await t.call('GET', `/customers/${alice.id}/consents`)).json,
  };
}

/** `sent`: the request's path; an id Bob sent himself may come back in a 404's detail (that tells him nothing). */
function expectNothingOfAlice(text: string, at: string, sent = '') {
  const ids = [alice.id, alice.caseId].filter((id) => !sent.includes(id));
  for (const mark of [...ids, `${alice.caseNumber}:`, `"${alice.caseNumber}"`, ALICE.email, ALICE.firstName, ALICE.lastName, ALICE_CASE.subject, ALICE_CASE.description, ALICE_PUBLIC, ALICE_INTERNAL]) {
    expect(text, `${at} answered something of Alice's (${mark})`).not.toContain(mark);
  }
}

beforeAll(async () => {
  t = await startTestRuntime();
  await t.call('PUT', '/topics', { role: 'admin', body: [{ id: 'newsletter', name: 'Newsletter', purpose: 'marketing' }] });
  const a = (await t.call('POST', '/customers', { body: { ...ALICE, tags: ['alicorn-tag'] } })).json;
  const aliceToken = await t.token('customer', a.id);
  const opened = await t.call('POST', '/me/cases', { role: null, headers: { authorization: `Bearer ${aliceToken}`, 'idempotency-key': SHARED_KEY }, body: ALICE_CASE });
  expect(opened.status, opened.text).toBe(201);
  alice = { id: a.id, caseId: opened.json.id, caseNumber: opened.json.number };
  await t.call('POST', `/cases/${alice.caseId}/comments`, { body: { body: ALICE_INTERNAL, visibility: 'internal' } });
  await t.call('POST', `/cases/${alice.caseId}/comments`, { body: { body: ALICE_PUBLIC, visibility: 'public' } });
  await t.call('PATCH', `/cases/${alice.caseId}`, { body: { status: 'solved' } });
  await t.call('POST', `/customers/${alice.id}/interactions`, { body: { channel: 'web', type: 'page_view', summary: `${ALICE.firstName} viewed pricing` } });

  const b = (await t.call('POST', '/customers', { body: { email: 'bob-isolated@example.com', firstName: 'Bob' } })).json;
  const bobToken = await t.token('customer', b.id);
  const bobCase = await t.call('POST', '/me/cases', { role: null, headers: { authorization: `Bearer ${bobToken}` }, body: { subject: 'Bob own case' } });
  bob = { id: b.id, caseId: bobCase.json.id };
});
afterAll(async () => {
  await t?.runtime.stop();
});

describe('another customer through /me', () => {
  it('the table lists the /me routes of profile, cases, consents and erasure', () => {
    const operations = meRoutes.map((r) => r.operationId);
    expect(operations).toEqual(expect.arrayContaining(['getMe', 'patchMe', 'getMyTimeline', 'exportMe', 'listMyCases', 'openMyCase', 'getMyCase', 'listMyComments', 'addMyComment', 'closeMyCase', 'getMyConsents', 'putMyConsents', 'requestErasure']));
    expect(meRoutes.every((r) => r.access !== 'public' && r.access.length === 1 && r.access[0] === 'customer')).toBe(true);
  });

  it("every /me route with an id answers 404 for Alice's case to Bob, and changes nothing", async () => {
    const before = await aliceAsStaffSeesHer();
    const withId = meRoutes.filter((r) => r.path.includes('{id}'));
    expect(withId.length).toBeGreaterThanOrEqual(4);
    for (const route of withId) {
      const at = `${route.method} ${route.path}`;
      const res = await as(bob.id, route, route.path.replace('{id}', encodeURIComponent(alice.caseId)));
      expect(res.status, `${at}: ${res.text}`).toBe(404);
      expectNothingOfAlice(res.text, at, route.path.replace('{id}', alice.caseId));
      // The same route on Bob's own case is not a 404: the 404 above is the ownership check, not a bad request.
      const own = await as(bob.id, route, route.path.replace('{id}', encodeURIComponent(bob.caseId)));
      expect(own.status, `${at} on Bob's own case: ${own.text}`).not.toBe(404);
    }
    expect(await aliceAsStaffSeesHer()).toEqual(before);
  });

  it("no /me route shows Bob anything of Alice's or changes it, even when the request names her", async () => {
    const before = await aliceAsStaffSeesHer();
    // Erasure requests last: once Bob asked for his own, his writes may be refused, which proves nothing.
    const ordered = [...meRoutes.filter((r) => r.method !== 'DELETE'), ...meRoutes.filter((r) => r.method === 'DELETE')];
    for (const route of ordered) {
      const path = route.path.replace('{id}', encodeURIComponent(alice.caseId));
      for (const attempt of [path, `${path}?customerId=${alice.id}&id=${alice.id}`]) {
        const at = `${route.method} ${attempt}`;
        const res = await as(bob.id, route, attempt);
        expectNothingOfAlice(res.text, at, attempt);
      }
    }
    expect(await aliceAsStaffSeesHer()).toEqual(before);
    const mine = await t.call('GET', '/me/export', { role: null, headers: { authorization: `Bearer ${await t.token('customer', bob.id)}` } });
    if (mine.status === 200) expect(mine.json.customer.id).toBe(bob.id);
  });

  it("Bob retrying with Alice's Idempotency-Key and body opens his own case, never replays hers", async () => {
    const token = `Bearer ${await t.token('customer', bob.id)}`;
    const res = await t.call('POST', '/me/cases', { role: null, headers: { authorization: token, 'idempotency-key': SHARED_KEY }, body: ALICE_CASE });
    expect(res.status, res.text).toBe(201);
    expect(res.json.id).not.toBe(alice.caseId);
    expect((await t.call('GET', `/cases/${res.json.id}`)).json.customerId).toBe(bob.id);
  });

  it('a body naming Alice does not move a write to her', async () => {
    const before = await aliceAsStaffSeesHer();
    const token = `Bearer ${await t.token('customer', bob.id)}`;
    const patch = await t.call('PATCH', '/me', { role: null, headers: { authorization: token }, body: { id: alice.id, firstName: 'Mallory' } });
    expect(patch.status).toBe(400);
    const open = await t.call('POST', '/me/cases', { role: null, headers: { authorization: token }, body: { customerId: alice.id, subject: 'For Alice' } });
    expect(open.status).toBe(400);
    expect(await aliceAsStaffSeesHer()).toEqual(before);
  });
});

describe('a customer token at the staff routes', () => {
  it('is 403 at every route that is neither public nor open to customers', async () => {
    expect(staffRoutes.length).toBeGreaterThan(40);
    const before = await aliceAsStaffSeesHer();
    for (const route of staffRoutes) {
      // Every path parameter names Alice or her case: Bob's token must not get past the role check.
      const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => (route.path.startsWith('/cases') && name === 'id' ? alice.caseId : name === 'email' ? encodeURIComponent(ALICE.email) : alice.id));
      const res = await as(bob.id, route, path);
      expect(res.status, `${route.method} ${route.path}: ${res.text}`).toBe(403);
      expectNothingOfAlice(res.text, `${route.method} ${route.path}`, path);
    }
    expect(await aliceAsStaffSeesHer()).toEqual(before);
  });
});
