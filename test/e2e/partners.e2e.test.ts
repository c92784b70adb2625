import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTE_TABLE, type RouteSpec } from '../../infra/topology.ts';
import { eventually, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

// Partner relationship management (issue 12) through the real local runtime: staff assign leads
// and opportunities to partner accounts (and only to those: 422 not-a-partner, nothing changed)
// and filter by partner; a partner user works exactly the records of its own partner account.
// "Tests cover every route for a partner against another partner's data": both route lists below
// come from the route table, so a route opened to partners later (conversion) is covered too.

let t: TestRuntime;
const routes = ROUTE_TABLE as readonly RouteSpec[];
const partnerRoutes = routes.filter((r) => r.access !== 'public' && r.access.includes('partner'));
const closedRoutes = routes.filter((r) => r.access !== 'public' && !r.access.includes('partner'));
const mergePatch = { 'content-type': 'application/merge-patch+json' };

type Assigned = { id: string; partnerAccountId: string | null; version: number } & Record<string, unknown>;
/** Partner accounts A and B, a customer-type account, and the records the test works. */
const ids = { a: '', b: '', customer: '' };
let leadA: Assigned;
let leadA2: Assigned;
let leadB: Assigned;
let leadU: Assigned;
let oppA: Assigned;
let oppB: Assigned;
let oppU: Assigned;

/** Marks unique to B's and the unassigned records: partner A must never see one of them. */
const SECRET = {
  leadB: { email: 'bravo-secret-lead@example.com', firstName: 'Bravoria', company: 'Bravo Hidden GmbH', notes: 'Bravo private note', source: 'bravo-fair' },
  leadU: { email: 'nobody-assigned@example.com', firstName: 'Unassignia', company: 'Unassigned Hidden Inc', notes: 'House private note', source: 'house-list' },
  oppB: 'Bravo hidden deal',
  oppU: 'House hidden deal',
};

async function partnerToken(accountId?: string) {
  return `Bearer ${await t.token('partner', undefined, accountId)}`;
}
/** A request with partner `accountId`'s token (none: a partner token without custom:accountId). */
async function asPartner(accountId: string | undefined, method: RouteSpec['method'], path: string, body?: unknown, headers: Record<string, string> = {}) {
  const contentType = method === 'PATCH' ? mergePatch : { 'content-type': 'application/json' };
  return t.call(method, path, { role: null, headers: { authorization: await partnerToken(accountId), ...contentType, ...headers }, ...(body !== undefined ? { body } : {}) });
}

async function createLead(body: Record<string, unknown>) {
  const res = await t.call('POST', '/leads', { role: 'agent', body });
  expect(res.status, res.text).toBe(201);
  return res.json as Assigned;
}
async function createOpportunity(body: Record<string, unknown>) {
  const res = await t.call('POST', '/opportunities', { role: 'agent', body: { accountId: ids.customer, amount: 5000, currency: 'EUR', closeDate: '2027-06-30', ...body } });
  expect(res.status, res.text).toBe(201);
  return res.json as Assigned;
}
async function createAccount(name: string, type: 'partner' | 'customer') {
  const res = await t.call('POST', '/accounts', { role: 'agent', body: { name, type } });
  expect(res.status, res.text).toBe(201);
  return res.json.id as string;
}
const idsOf = (res: { json: { items: { id: string }[] } }) => res.json.items.map((i) => i.id);

/**
 * A partner account of its own, with one lead and one opportunity assigned to it, for a test that
 * changes what it works on: the shared records (A's, B's, the unassigned ones) stay as beforeAll
 * made them, so the tests hold in any order.
 */
async function ownPartner(name: string) {
  const id = await createAccount(name, 'partner');
  const slug = name.toLowerCase().replace(/\W+/g, '-');
  const lead = await createLead({ email: `${slug}-lead@example.com`, source: 'referral', ownerId: 'rep-1', partnerAccountId: id });
  const opp = await createOpportunity({ name: `${name} deal`, partnerAccountId: id, ownerId: 'rep-1' });
  return { id, lead, opp };
}

/** What staff see of B's and the unassigned records: it must be exactly the same after partner A's attempts. */
async function othersAsStaffSeeThem() {
  const read = async (path: string) => (await t.call('GET', path, { role: 'manager' })).json;
  return {
    leadB: await read(`/leads/${leadB.id}`),
    leadU: await read(`/leads/${leadU.id}`),
    oppB: await read(`/opportunities/${oppB.id}`),
    oppU: await read(`/opportunities/${oppU.id}`),
    leadsOfB: await read(`/leads?partner=${ids.b}&limit=100`),
    opportunitiesOfB: await read(`/opportunities?partner=${ids.b}&limit=100`),
    partnerB: await read(`/accounts/${ids.b}`),
  };
}

/** `sent`: what the request itself named (an id partner A sent may come back in a 404's detail: that tells it nothing). */
function expectNothingOfOthers(text: string, at: string, sent = '') {
  const marks = [leadB.id, leadU.id, oppB.id, oppU.id, ids.b].filter((id) => !sent.includes(id));
  for (const mark of [...marks, ...Object.values(SECRET.leadB), ...Object.values(SECRET.leadU), SECRET.oppB, SECRET.oppU]) {
    expect(text, `${at} answered something of another's (${mark})`).not.toContain(mark);
  }
}

beforeAll(async () => {
  t = await startTestRuntime();
  ids.a = await createAccount('Alpha Partners', 'partner');
  ids.b = await createAccount('Bravo Partners', 'partner');
  ids.customer = await createAccount('Customer Corp', 'customer');
  leadA = await createLead({ email: 'alpha-lead-1@example.com', source: 'referral', ownerId: 'rep-1', partnerAccountId: ids.a });
  leadB = await createLead({ ...SECRET.leadB, ownerId: 'rep-1', partnerAccountId: ids.b });
  leadU = await createLead({ ...SECRET.leadU, ownerId: 'rep-1' });
  leadA2 = await createLead({ email: 'alpha-lead-2@example.com', source: 'referral', partnerAccountId: ids.a });
  oppA = await createOpportunity({ name: 'Alpha deal', partnerAccountId: ids.a, ownerId: 'rep-1' });
  oppB = await createOpportunity({ name: SECRET.oppB, partnerAccountId: ids.b, ownerId: 'rep-1' });
  oppU = await createOpportunity({ name: SECRET.oppU, ownerId: 'rep-1' });
});
afterAll(async () => {
  await t?.runtime.stop();
});

describe('assignment by staff', () => {
  it('assigns on create, lists and filters by partner (newest first), unassigns with null', async () => {
    expect(leadA.partnerAccountId).toBe(ids.a);
    expect(oppA.partnerAccountId).toBe(ids.a);
    expect(leadU.partnerAccountId).toBeNull();
    const leadsOfA = await t.call('GET', `/leads?partner=${ids.a}`, { role: 'marketer' });
    expect(leadsOfA.status, leadsOfA.text).toBe(200);
    expect(idsOf(leadsOfA)).toEqual([leadA2.id, leadA.id]);
    expect(idsOf(await t.call('GET', `/leads?partner=${ids.b}`, { role: 'agent' }))).toEqual([leadB.id]);
    expect(idsOf(await t.call('GET', `/opportunities?partner=${ids.b}`, { role: 'agent' }))).toEqual([oppB.id]);
    // Staff see everything, assigned or not.
    const all = idsOf(await t.call('GET', '/leads?limit=100', { role: 'agent' }));
    expect(all).toEqual(expect.arrayContaining([leadA.id, leadA2.id, leadB.id, leadU.id]));
    expect((await t.call('GET', `/leads/${leadB.id}`, { role: 'marketer' })).status).toBe(200);

    const extra = await createLead({ email: 'alpha-extra@example.com', source: 'referral', partnerAccountId: ids.a });
    const assignedOpp = await createOpportunity({ name: 'Alpha extra deal' });
    const assigned = await t.call('PATCH', `/opportunities/${assignedOpp.id}`, { role: 'agent', body: { partnerAccountId: ids.a }, headers: mergePatch });
    expect(assigned.status, assigned.text).toBe(200);
    expect(assigned.json.partnerAccountId).toBe(ids.a);
    expect(idsOf(await t.call('GET', `/opportunities?partner=${ids.a}`, { role: 'agent' }))).toEqual([assignedOpp.id, oppA.id]);

    const unassigned = await t.call('PATCH', `/leads/${extra.id}`, { role: 'agent', body: { partnerAccountId: null }, headers: mergePatch });
    expect(unassigned.status, unassigned.text).toBe(200);
    expect(unassigned.json.partnerAccountId).toBeNull();
    const unassignedOpp = await t.call('PATCH', `/opportunities/${assignedOpp.id}`, { role: 'agent', body: { partnerAccountId: null }, headers: mergePatch });
    expect(unassignedOpp.json.partnerAccountId).toBeNull();
    expect(idsOf(await t.call('GET', `/leads?partner=${ids.a}`, { role: 'agent' }))).toEqual([leadA2.id, leadA.id]);
    expect(idsOf(await t.call('GET', `/opportunities?partner=${ids.a}`, { role: 'agent' }))).toEqual([oppA.id]);
    expect((await asPartner(ids.a, 'GET', `/leads/${extra.id}`)).status).toBe(404);
  });

  it('filters within a partner by status, owner, stage or account, and pages through the filtered listing', async () => {
    expect(idsOf(await t.call('GET', `/leads?partner=${ids.a}&owner=rep-1`, { role: 'agent' }))).toEqual([leadA.id]);
    expect(idsOf(await t.call('GET', `/leads?partner=${ids.a}&status=new&owner=rep-1`, { role: 'agent' }))).toEqual([leadA.id]);
    expect(idsOf(await t.call('GET', `/opportunities?partner=${ids.a}&stage=prospecting`, { role: 'agent' }))).toEqual([oppA.id]);
    expect(idsOf(await t.call('GET', `/opportunities?partner=${ids.a}&account=${ids.customer}`, { role: 'agent' }))).toEqual([oppA.id]);
    expect(idsOf(await t.call('GET', `/opportunities?partner=${ids.a}&stage=won`, { role: 'agent' }))).toEqual([]);
    // Two other filters at once stay one too many for opportunities.
    expect((await t.call('GET', `/opportunities?partner=${ids.a}&stage=prospecting&owner=rep-1`, { role: 'agent' })).status).toBe(400);

    const walked: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; json: { items: { id: string }[]; nextCursor: string | null } } = await t.call('GET', `/leads?partner=${ids.a}&status=new&limit=1${cursor ? `&cursor=${cursor}` : ''}`, { role: 'agent' });
      expect(page.status).toBe(200);
      walked.push(...idsOf(page));
      cursor = page.json.nextCursor;
    } while (cursor);
    expect(walked).toEqual([leadA2.id, leadA.id]);
  });

  it('assigning to a customer-type or unknown account is 422 not-a-partner and changes nothing', async () => {
    for (const bad of [ids.customer, 'no-such-account']) {
      const leadsBefore = idsOf(await t.call('GET', '/leads?limit=100', { role: 'agent' }));
      const created = await t.call('POST', '/leads', { role: 'agent', body: { email: `to-${bad}@example.com`, source: 'x', partnerAccountId: bad } });
      expect(created.status, created.text).toBe(422);
      expect(created.json.type).toBe('urn:ecrm:problem:not-a-partner');
      expect(idsOf(await t.call('GET', '/leads?limit=100', { role: 'agent' }))).toEqual(leadsBefore);
      // Nothing was kept of it: the email has no open lead (a new one for it is not a 409).
      expect((await t.call('POST', '/leads', { role: 'agent', body: { email: `to-${bad}@example.com`, source: 'x' } })).status).toBe(201);

      const lead = (await t.call('GET', `/leads/${leadA.id}`, { role: 'agent' })).json;
      const moved = await t.call('PATCH', `/leads/${leadA.id}`, { role: 'agent', body: { partnerAccountId: bad, notes: 'moved?' }, headers: mergePatch });
      expect(moved.status, moved.text).toBe(422);
      expect(moved.json.type).toBe('urn:ecrm:problem:not-a-partner');
      expect((await t.call('GET', `/leads/${leadA.id}`, { role: 'agent' })).json).toEqual(lead);

      const oppsBefore = idsOf(await t.call('GET', '/opportunities?limit=100', { role: 'agent' }));
      const opp = await t.call('POST', '/opportunities', { role: 'agent', body: { accountId: ids.customer, name: 'Nope', amount: 1, currency: 'EUR', closeDate: '2027-01-01', partnerAccountId: bad } });
      expect(opp.status, opp.text).toBe(422);
      expect(opp.json.type).toBe('urn:ecrm:problem:not-a-partner');
      expect(idsOf(await t.call('GET', '/opportunities?limit=100', { role: 'agent' }))).toEqual(oppsBefore);
      const current = (await t.call('GET', `/opportunities/${oppA.id}`, { role: 'agent' })).json;
      const reassigned = await t.call('PATCH', `/opportunities/${oppA.id}`, { role: 'agent', body: { partnerAccountId: bad, amount: 1 }, headers: mergePatch });
      expect(reassigned.status, reassigned.text).toBe(422);
      expect(reassigned.json.type).toBe('urn:ecrm:problem:not-a-partner');
      expect((await t.call('GET', `/opportunities/${oppA.id}`, { role: 'agent' })).json).toEqual(current);
    }
  });

  it("an opportunity on the partner's own account may be assigned to that partner (one check of the account)", async () => {
    const own = await t.call('POST', '/opportunities', { role: 'agent', body: { accountId: ids.a, name: 'Alpha buys itself', amount: 1, currency: 'EUR', closeDate: '2027-01-01', partnerAccountId: ids.a } });
    expect(own.status, own.text).toBe(201);
    expect(own.json).toMatchObject({ accountId: ids.a, partnerAccountId: ids.a });
    const onCustomer = await t.call('POST', '/opportunities', { role: 'agent', body: { accountId: ids.customer, name: 'x', amount: 1, currency: 'EUR', closeDate: '2027-01-01', partnerAccountId: ids.customer } });
    expect(onCustomer.json.type).toBe('urn:ecrm:problem:not-a-partner');
    const nowhere = await t.call('POST', '/opportunities', { role: 'agent', body: { accountId: 'gone', name: 'x', amount: 1, currency: 'EUR', closeDate: '2027-01-01', partnerAccountId: 'gone' } });
    expect(nowhere.json.type).toBe('urn:ecrm:problem:unknown-account');
    const moved = await t.call('PATCH', `/opportunities/${own.json.id}`, { role: 'agent', body: { partnerAccountId: null }, headers: mergePatch });
    expect(moved.status, moved.text).toBe(200);
  });
});

describe('a partner user', () => {
  it('the route table opens exactly the lead and opportunity routes to partners', () => {
    const keys = partnerRoutes.map((r) => `${r.method} ${r.path}`);
    expect(keys).toEqual(
      expect.arrayContaining(['POST /leads', 'GET /leads', 'GET /leads/{id}', 'PATCH /leads/{id}', 'GET /opportunities', 'GET /opportunities/{id}', 'PATCH /opportunities/{id}']),
    );
    expect(partnerRoutes.every((r) => r.path.startsWith('/leads') || r.path.startsWith('/opportunities'))).toBe(true);
    expect(keys).not.toContain('DELETE /leads/{id}');
    expect(keys).not.toContain('POST /opportunities');
  });

  it('lists only its own leads and opportunities, whatever the filter; another partner\'s listing is 403', async () => {
    const leads = await asPartner(ids.a, 'GET', '/leads?limit=100');
    expect(leads.status, leads.text).toBe(200);
    expect(idsOf(leads)).toEqual([leadA2.id, leadA.id]);
    expect(idsOf(await asPartner(ids.a, 'GET', `/leads?partner=${ids.a}`))).toEqual([leadA2.id, leadA.id]);
    expect(idsOf(await asPartner(ids.a, 'GET', '/leads?status=new'))).toEqual([leadA2.id, leadA.id]);
    expect(idsOf(await asPartner(ids.a, 'GET', '/leads?owner=rep-1'))).toEqual([leadA.id]);
    expect(idsOf(await asPartner(ids.b, 'GET', '/leads?owner=rep-1'))).toEqual([leadB.id]);
    const opportunities = await asPartner(ids.a, 'GET', '/opportunities?limit=100');
    expect(idsOf(opportunities)).toEqual([oppA.id]);
    expect(idsOf(await asPartner(ids.a, 'GET', '/opportunities?stage=prospecting'))).toEqual([oppA.id]);
    expect(idsOf(await asPartner(ids.a, 'GET', '/opportunities?owner=rep-1'))).toEqual([oppA.id]);
    expect(idsOf(await asPartner(ids.a, 'GET', `/opportunities?account=${ids.customer}`))).toEqual([oppA.id]);
    for (const res of [leads, opportunities]) expectNothingOfOthers(res.text, 'list');
    for (const path of [`/leads?partner=${ids.b}`, `/opportunities?partner=${ids.b}`, `/leads?partner=${ids.b}&status=new`]) {
      const res = await asPartner(ids.a, 'GET', path);
      expect(res.status, `${path}: ${res.text}`).toBe(403);
      expectNothingOfOthers(res.text, path, path);
    }
  });

  it('registers a deal (POST /leads): assigned to its own account, its source kept; another account or an owner is 403', async () => {
    const echo = await ownPartner('Echo Partners');
    const registered = await asPartner(echo.id, 'POST', '/leads', { email: 'echo-registered@example.com', company: 'Deal Ltd', source: 'partner-portal' });
    expect(registered.status, registered.text).toBe(201);
    expect(registered.json).toMatchObject({ partnerAccountId: echo.id, source: 'partner-portal', ownerId: null, status: 'new' });
    expect((await asPartner(echo.id, 'GET', `/leads/${registered.json.id}`)).status).toBe(200);
    // The registration is told apart on the bus: LeadCaptured via partner.
    const captured = await eventually(async () => {
      const items = (await t.call('GET', '/_local/events?limit=500', { role: null })).json.items as { detailType: string; detail: { data: Record<string, unknown> } }[];
      return items.find((e) => e.detailType === 'LeadCaptured' && e.detail.data.leadId === registered.json.id);
    });
    expect(captured.detail.data).toMatchObject({ via: 'partner', source: 'partner-portal' });
    const naming = await asPartner(echo.id, 'POST', '/leads', { email: 'echo-registered-2@example.com', source: 'partner-portal', partnerAccountId: echo.id });
    expect(naming.status, naming.text).toBe(201);

    const before = await othersAsStaffSeeThem();
    const allBefore = idsOf(await t.call('GET', '/leads?limit=100', { role: 'agent' }));
    for (const body of [
      { email: 'echo-for-bravo@example.com', source: 'partner-portal', partnerAccountId: ids.b },
      { email: 'echo-unassigned@example.com', source: 'partner-portal', partnerAccountId: null },
      { email: 'echo-owner@example.com', source: 'partner-portal', ownerId: 'rep-1' },
    ]) {
      const res = await asPartner(echo.id, 'POST', '/leads', body);
      expect(res.status, res.text).toBe(403);
      expectNothingOfOthers(res.text, 'POST /leads', JSON.stringify(body));
    }
    expect(idsOf(await t.call('GET', '/leads?limit=100', { role: 'agent' }))).toEqual(allBefore);
    // B's open lead holds its email: the partner hears that the deal is registered, not whose nor which.
    const clash = await asPartner(echo.id, 'POST', '/leads', { email: SECRET.leadB.email, source: 'partner-portal' });
    expect(clash.status, clash.text).toBe(409);
    expect(clash.json.type).toBe('urn:ecrm:problem:lead-open');
    expectNothingOfOthers(clash.text, 'POST /leads (clash)', SECRET.leadB.email);
    expect(await othersAsStaffSeeThem()).toEqual(before);
  });

  it('works its own lead and opportunity, but never sets the owner or the assignment (403, nothing changed)', async () => {
    const f = await ownPartner('Foxtrot Partners');
    const lead = await asPartner(f.id, 'PATCH', `/leads/${f.lead.id}`, { status: 'working', notes: 'Called them', company: 'Alpha Client' });
    expect(lead.status, lead.text).toBe(200);
    expect(lead.json).toMatchObject({ status: 'working', notes: 'Called them', partnerAccountId: f.id, ownerId: 'rep-1' });
    const opp = await asPartner(f.id, 'PATCH', `/opportunities/${f.opp.id}`, { stage: 'proposal', amount: 7000, closeDate: '2027-07-31', products: [{ sku: 'SKU-9', quantity: 1, unitPrice: 7000 }] });
    expect(opp.status, opp.text).toBe(200);
    expect(opp.json).toMatchObject({ stage: 'proposal', amount: 7000, partnerAccountId: f.id });

    const leadNow = (await t.call('GET', `/leads/${f.lead.id}`, { role: 'agent' })).json;
    const oppNow = (await t.call('GET', `/opportunities/${f.opp.id}`, { role: 'agent' })).json;
    for (const body of [{ ownerId: 'me' }, { partnerAccountId: ids.b }, { partnerAccountId: null }, { partnerAccountId: f.id }]) {
      const onLead = await asPartner(f.id, 'PATCH', `/leads/${f.lead.id}`, body);
      expect(onLead.status, `lead ${JSON.stringify(body)}: ${onLead.text}`).toBe(403);
      const onOpp = await asPartner(f.id, 'PATCH', `/opportunities/${f.opp.id}`, body);
      expect(onOpp.status, `opportunity ${JSON.stringify(body)}: ${onOpp.text}`).toBe(403);
    }
    expect((await t.call('GET', `/leads/${f.lead.id}`, { role: 'agent' })).json).toEqual(leadNow);
    expect((await t.call('GET', `/opportunities/${f.opp.id}`, { role: 'agent' })).json).toEqual(oppNow);
  });

  it("every partner route answers another partner's or an unassigned record exactly like a missing one, and changes nothing", async () => {
    const g = await ownPartner('Golf Partners');
    const before = await othersAsStaffSeeThem();
    const BODIES: Readonly<Record<string, unknown>> = {
      patchLead: { status: 'disqualified', notes: 'Golf was here' },
      patchOpportunity: { stage: 'qualification', name: 'Golf was here' },
      createLead: { email: 'golf-names-bravo@example.com', source: 'partner-portal', partnerAccountId: ids.b },
    };
    const withId = partnerRoutes.filter((r) => r.path.includes('{id}'));
    expect(withId.length).toBeGreaterThanOrEqual(4);
    for (const route of partnerRoutes) {
      const body = ['POST', 'PUT', 'PATCH'].includes(route.method) ? (BODIES[route.operationId] ?? {}) : undefined;
      const at = `${route.method} ${route.path}`;
      if (route.path.includes('{id}')) {
        const others = route.path.startsWith('/leads') ? [leadB.id, leadU.id] : [oppB.id, oppU.id];
        const missing = await asPartner(g.id, route.method, route.path.replace('{id}', 'no-such-id'), body);
        expect(missing.status, `${at} (missing): ${missing.text}`).toBe(404);
        for (const id of others) {
          const path = route.path.replace('{id}', id);
          const res = await asPartner(g.id, route.method, path, body);
          expect(res.status, `${at} on ${id}: ${res.text}`).toBe(404);
          expect(res.json.type).toBe(missing.json.type);
          expect(res.json.title).toBe(missing.json.title);
          expectNothingOfOthers(res.text, at, path);
          // If-Match of the record's real version changes nothing either (no 412 that would confirm it).
          const withVersion = await asPartner(g.id, route.method, path, body, { 'if-match': '"1"' });
          expect(withVersion.status, `${at} on ${id} with If-Match`).toBe(404);
        }
        // The same route on the partner's own record is not a 404: the 404s above are the scope.
        const own = route.path.startsWith('/leads') ? g.lead.id : g.opp.id;
        // (Conversion is the last lead route of the table: it may turn the lead into a converted one.)
        const ownBody = route.method === 'GET' ? undefined : route.operationId === 'convertLead' ? { accountName: 'Golf converted client' } : route.path.startsWith('/leads') ? { notes: 'Golf own note' } : { amount: 7100 };
        const mine = await asPartner(g.id, route.method, route.path.replace('{id}', own), ownBody);
        expect(mine.status, `${at} on its own: ${mine.text}`).toBeLessThan(300);
      } else if (route.method === 'GET') {
        for (const query of ['', `?partner=${ids.b}`, '?limit=100', '?status=new', '?stage=qualification', '?owner=rep-1']) {
          const res = await asPartner(g.id, 'GET', `${route.path}${query}`);
          if (res.status === 200) expect((res.json.items as Assigned[]).every((i) => i.partnerAccountId === g.id), `${at}${query}`).toBe(true);
          else expect([400, 403], `${at}${query}: ${res.text}`).toContain(res.status);
          expectNothingOfOthers(res.text, `${at}${query}`, query);
        }
      } else {
        const res = await asPartner(g.id, route.method, route.path, body);
        expect(res.status, `${at}: ${res.text}`).toBe(403);
        expectNothingOfOthers(res.text, at, JSON.stringify(body));
      }
    }
    expect(await othersAsStaffSeeThem()).toEqual(before);
  });

  it('is 403 at every route not opened to partners, and learns nothing there', async () => {
    expect(closedRoutes.length).toBeGreaterThan(60);
    const before = await othersAsStaffSeeThem();
    for (const route of closedRoutes) {
      // Every path parameter names B's account or records: partner A's token must not get past the role check.
      const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) =>
        route.path.startsWith('/leads') ? leadB.id : route.path.startsWith('/opportunities') ? oppB.id : name === 'email' ? encodeURIComponent(SECRET.leadB.email) : ids.b,
      );
      const body = ['POST', 'PUT', 'PATCH'].includes(route.method) ? {} : undefined;
      const res = await asPartner(ids.a, route.method, path, body);
      expect(res.status, `${route.method} ${route.path}: ${res.text}`).toBe(403);
      expectNothingOfOthers(res.text, `${route.method} ${route.path}`, path);
    }
    expect(await othersAsStaffSeeThem()).toEqual(before);
  });

  it('without custom:accountId reaches nothing (403 at every partner route)', async () => {
    const before = await othersAsStaffSeeThem();
    for (const route of partnerRoutes) {
      const path = route.path.replace('{id}', route.path.startsWith('/leads') ? leadB.id : oppB.id);
      const body = ['POST', 'PUT', 'PATCH'].includes(route.method) ? { email: 'no-account@example.com', source: 'x', notes: 'x' } : undefined;
      const res = await asPartner(undefined, route.method, path, body);
      expect(res.status, `${route.method} ${route.path}: ${res.text}`).toBe(403);
      expectNothingOfOthers(res.text, `${route.method} ${route.path}`, path);
    }
    expect(await othersAsStaffSeeThem()).toEqual(before);
  });
});

describe('a partner account retyped or deleted', () => {
  it("keeps its assignments for staff, refuses new ones, and cuts its partner users off at once", async () => {
    const d = await createAccount('Delta Partners', 'partner');
    const lead = await createLead({ email: 'delta-lead@example.com', source: 'referral', partnerAccountId: d });
    const opp = await createOpportunity({ name: 'Delta deal', partnerAccountId: d });
    expect(idsOf(await asPartner(d, 'GET', '/leads'))).toEqual([lead.id]);

    const account = (await t.call('GET', `/accounts/${d}`, { role: 'agent' })).json;
    const retyped = await t.call('PATCH', `/accounts/${d}`, { role: 'agent', body: { type: 'customer' }, headers: { ...mergePatch, 'if-match': `"${account.version}"` } });
    expect(retyped.status, retyped.text).toBe(200);
    for (const [method, path, body] of [
      ['GET', '/leads', undefined],
      ['GET', `/leads/${lead.id}`, undefined],
      ['PATCH', `/leads/${lead.id}`, { notes: 'still here?' }],
      ['GET', `/opportunities/${opp.id}`, undefined],
      ['POST', '/leads', { email: 'delta-new@example.com', source: 'partner-portal' }],
    ] as const) {
      const res = await asPartner(d, method, path, body);
      expect(res.status, `${method} ${path}: ${res.text}`).toBe(403);
    }
    // Staff still see the assignment (to reassign it), and the lead was not changed.
    expect((await t.call('GET', `/leads/${lead.id}`, { role: 'agent' })).json).toEqual(lead);
    expect(idsOf(await t.call('GET', `/leads?partner=${d}`, { role: 'agent' }))).toEqual([lead.id]);
    expect(idsOf(await t.call('GET', `/opportunities?partner=${d}`, { role: 'agent' }))).toEqual([opp.id]);
    // Staff work on the record goes on; a new assignment to the retyped account is refused.
    expect((await t.call('PATCH', `/leads/${lead.id}`, { role: 'agent', body: { notes: 'staff note' }, headers: mergePatch })).status).toBe(200);
    const other = await createLead({ email: 'delta-other@example.com', source: 'referral' });
    const refused = await t.call('PATCH', `/leads/${other.id}`, { role: 'agent', body: { partnerAccountId: d }, headers: mergePatch });
    expect(refused.json.type).toBe('urn:ecrm:problem:not-a-partner');

    // A partner again: its users are back.
    const back = await t.call('PATCH', `/accounts/${d}`, { role: 'agent', body: { type: 'partner' }, headers: mergePatch });
    expect(back.status).toBe(200);
    expect(idsOf(await asPartner(d, 'GET', '/leads'))).toEqual([lead.id]);

    // Deleted: the same, and staff reassign the records to another partner.
    const deleted = await t.call('DELETE', `/accounts/${d}`, { role: 'admin', headers: { 'if-match': `"${back.json.version}"` } });
    expect(deleted.status, deleted.text).toBe(204);
    expect((await asPartner(d, 'GET', '/opportunities')).status).toBe(403);
    expect((await asPartner(d, 'GET', `/leads/${lead.id}`)).status).toBe(403);
    expect((await t.call('GET', `/opportunities/${opp.id}`, { role: 'agent' })).json.partnerAccountId).toBe(d);
    const hotel = await createAccount('Hotel Partners', 'partner');
    const moved = await t.call('PATCH', `/opportunities/${opp.id}`, { role: 'agent', body: { partnerAccountId: hotel }, headers: mergePatch });
    expect(moved.status, moved.text).toBe(200);
    expect(idsOf(await asPartner(hotel, 'GET', '/opportunities'))).toEqual([opp.id]);
    expect(idsOf(await t.call('GET', `/opportunities?partner=${d}`, { role: 'agent' }))).toEqual([]);
  });
});
