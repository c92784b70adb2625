import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

// Opportunities through the local runtime: creation on an existing account (422 otherwise), the
// listings by stage, owner and account, stage moves with If-Match and their history, won and lost
// final, lostReason required, the stage events on the bus, a won opportunity's purchases, and roles.

let t: TestRuntime;
type Role = 'admin' | 'manager' | 'agent' | 'marketer';
const mergePatch = { 'content-type': 'application/merge-patch+json' };
let accountId: string;

const deal = (over: Record<string, unknown> = {}) => ({ accountId, name: 'Fleet renewal', amount: 12000, currency: 'EUR', closeDate: '2027-03-31', ...over });
async function create(over: Record<string, unknown> = {}, role: Role = 'agent') {
  const res = await t.call('POST', '/opportunities', { role, body: deal(over) });
  expect(res.status, res.text).toBe(201);
  return res.json;
}
const patch = (id: string, body: Record<string, unknown>, version?: number, role: Role = 'agent') =>
  t.call('PATCH', `/opportunities/${id}`, { role, body, headers: { ...mergePatch, ...(version ? { 'if-match': `"${version}"` } : {}) } });
const ids = (res: { json: { items: { id: string }[] } }) => res.json.items.map((o) => o.id);

type BusEvent = { detailType: string; source: string; detail: { data: Record<string, unknown> } };
async function eventsOf(opportunityId: string, detailType: string, count: number): Promise<BusEvent[]> {
  return eventually(async () => {
    const items = (await t.call('GET', '/_local/events?limit=500', { role: null })).json.items as BusEvent[];
    const found = items.filter((e) => e.detailType === detailType && e.detail.data.opportunityId === opportunityId);
    return found.length >= count ? found : undefined;
  });
}

beforeAll(async () => {
  t = await startTestRuntime();
  const account = await t.call('POST', '/accounts', { role: 'agent', body: { name: 'Initech' } });
  expect(account.status, account.text).toBe(201);
  accountId = account.json.id;
});
afterAll(async () => {
  await t?.runtime.stop();
});

describe('opportunities', () => {
  it('creates on an existing account (201, Location, ETag, defaults), reads it; an unknown account is 422 and creates nothing', async () => {
    const created = await t.call('POST', '/opportunities', { role: 'agent', body: deal({ products: [{ sku: 'SKU-1', quantity: 2, unitPrice: 100 }] }) });
    expect(created.status, created.text).toBe(201);
    const o = created.json;
    expect(created.headers.get('location')).toBe(`/opportunities/${o.id}`);
    expect(created.headers.get('etag')).toBe('"1"');
    expect(o).toMatchObject({ accountId, stage: 'prospecting', probability: 10, lostReason: null, version: 1, products: [{ sku: 'SKU-1', quantity: 2, unitPrice: 100 }] });
    expect(o.stageHistory).toEqual([{ stage: 'prospecting', at: o.createdAt }]);
    expect((await t.call('GET', `/opportunities/${o.id}`, { role: 'marketer' })).json).toEqual(o);
    expect((await t.call('GET', '/opportunities/nope', { role: 'agent' })).status).toBe(404);

    const before = (await t.call('GET', '/opportunities?limit=100', { role: 'agent' })).json.items.length;
    const unknown = await t.call('POST', '/opportunities', { role: 'agent', body: deal({ accountId: 'no-such-account' }) });
    expect(unknown.status).toBe(422);
    expect(unknown.json.type).toBe('urn:ecrm:problem:unknown-account');
    expect((await t.call('GET', '/opportunities?limit=100', { role: 'agent' })).json.items.length).toBe(before);
  });

  it('refuses bad fields with 400: negative amount, currency, probability, date, a final stage at creation', async () => {
    for (const bad of [{ amount: -1 }, { currency: 'euro' }, { probability: 101 }, { closeDate: '31/03/2027' }, { stage: 'won' }, { products: [{ sku: 'A', quantity: 0, unitPrice: 1 }] }]) {
      const res = await t.call('POST', '/opportunities', { role: 'agent', body: deal(bad) });
      expect(res.status, JSON.stringify(bad)).toBe(400);
    }
  });

  it('lists newest first, by stage, by owner and by account (one filter at a time), paged', async () => {
    const other = (await t.call('POST', '/accounts', { role: 'agent', body: { name: 'Umbrella' } })).json.id as string;
    const a = await create({ ownerId: 'owner-list', stage: 'qualification' });
    const b = await create({ ownerId: 'owner-list', stage: 'proposal', accountId: other });
    const c = await create({ stage: 'proposal', accountId: other });
    await eventually(async () => ((await t.call('GET', '/opportunities?owner=owner-list', { role: 'marketer' })).json.items.length === 2 ? true : undefined));
    expect(ids(await t.call('GET', '/opportunities?owner=owner-list', { role: 'marketer' }))).toEqual([b.id, a.id]);
    await eventually(async () => ((await t.call('GET', `/opportunities?account=${other}`, { role: 'agent' })).json.items.length === 2 ? true : undefined));
    expect(ids(await t.call('GET', `/opportunities?account=${other}`, { role: 'agent' }))).toEqual([c.id, b.id]);
    const proposal = ids(await t.call('GET', '/opportunities?stage=proposal', { role: 'agent' }));
    expect(proposal).toEqual(expect.arrayContaining([b.id, c.id]));
    expect(proposal).not.toContain(a.id);
    const first = await t.call('GET', `/opportunities?account=${other}&limit=1`, { role: 'agent' });
    expect(ids(first)).toEqual([c.id]);
    const second = await t.call('GET', `/opportunities?account=${other}&limit=1&cursor=${first.json.nextCursor}`, { role: 'agent' });
    expect(ids(second)).toEqual([b.id]);
    expect((await t.call('GET', '/opportunities?owner=x&stage=proposal', { role: 'agent' })).status).toBe(400);
    expect((await t.call('GET', '/opportunities?stage=nope', { role: 'agent' })).status).toBe(400);
  });

  it('moves stages with If-Match (412 when stale), keeps the history, moves the stage listing, and commits OpportunityStageChanged', async () => {
    const o = await create();
    const moved = await patch(o.id, { stage: 'proposal' }, 1);
    expect(moved.status, moved.text).toBe(200);
    expect(moved.headers.get('etag')).toBe('"2"');
    expect(moved.json).toMatchObject({ stage: 'proposal', probability: 50, version: 2 });
    expect(moved.json.stageHistory.map((h: { stage: string }) => h.stage)).toEqual(['prospecting', 'proposal']);
    expect((await patch(o.id, { stage: 'negotiation' }, 1)).status).toBe(412);
    expect((await t.call('GET', `/opportunities/${o.id}`, { role: 'agent' })).json.stage).toBe('proposal');
    await eventually(async () => (ids(await t.call('GET', '/opportunities?stage=proposal&limit=100', { role: 'agent' })).includes(o.id) ? true : undefined));
    expect(ids(await t.call('GET', '/opportunities?stage=prospecting&limit=100', { role: 'agent' }))).not.toContain(o.id);
    const changes = await eventsOf(o.id, 'OpportunityStageChanged', 2);
    expect(changes.every((e) => e.source === 'crm.sales')).toBe(true);
    expect(changes.map((e) => e.detail.data)).toEqual(
      expect.arrayContaining([
        { opportunityId: o.id, accountId, from: null, to: 'prospecting' },
        { opportunityId: o.id, accountId, from: 'prospecting', to: 'proposal' },
      ]),
    );
  });

  it('won is final (409 status-move) and commits OpportunityWon', async () => {
    const o = await create();
    const won = await patch(o.id, { stage: 'won' });
    expect(won.status, won.text).toBe(200);
    expect(won.json).toMatchObject({ stage: 'won', probability: 100 });
    const again = await patch(o.id, { stage: 'negotiation' });
    expect(again.status).toBe(409);
    expect(again.json.type).toBe('urn:ecrm:problem:status-move');
    expect((await patch(o.id, { amount: 1 })).status).toBe(409);
    const [event] = await eventsOf(o.id, 'OpportunityWon', 1);
    expect(event!.detail.data).toEqual({ opportunityId: o.id, accountId });
  });

  it('lost needs a lostReason (400 naming it, nothing changes), then is final and commits OpportunityLost', async () => {
    const o = await create();
    const refused = await patch(o.id, { stage: 'lost' });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.json.errors)).toContain('lostReason');
    expect((await t.call('GET', `/opportunities/${o.id}`, { role: 'agent' })).json).toMatchObject({ stage: 'prospecting', version: 1 });
    const lost = await patch(o.id, { stage: 'lost', lostReason: 'Went with a competitor' }, 1);
    expect(lost.status, lost.text).toBe(200);
    expect(lost.json).toMatchObject({ stage: 'lost', probability: 0, lostReason: 'Went with a competitor' });
    expect((await patch(o.id, { stage: 'won' })).status).toBe(409);
    const [event] = await eventsOf(o.id, 'OpportunityLost', 1);
    expect(event!.detail.data).toEqual({ opportunityId: o.id, accountId });
  });

  it("a won opportunity's products become purchases of its account's contacts (PurchaseRecorded, recommendations)", async () => {
    const account = (await t.call('POST', '/accounts', { role: 'agent', body: { name: 'Buyers Inc' } })).json.id as string;
    const contacts: string[] = [];
    for (const n of [1, 2]) {
      const c = await t.call('POST', '/customers', { body: { email: `won-contact-${n}@example.com` } });
      contacts.push(c.json.id);
      expect((await t.call('PUT', `/accounts/${account}/contacts/${c.json.id}`, { role: 'agent', body: { role: 'buyer' } })).status).toBe(200);
    }
    for (const sku of ['WON-A', 'WON-B']) {
      expect((await t.call('PUT', `/products/${sku}`, { role: 'admin', body: { name: sku, category: 'won', price: 5, currency: 'EUR', active: true } })).status).toBe(201);
    }
    const o = await create({ accountId: account, products: [{ sku: 'WON-A', quantity: 1, unitPrice: 5 }, { sku: 'WON-B', quantity: 3, unitPrice: 5 }] });
    expect((await patch(o.id, { stage: 'won' })).status).toBe(200);
    await t.runtime.idle();
    const recorded = await eventually(async () => {
      const items = (await t.call('GET', '/_local/events?limit=500', { role: null })).json.items as BusEvent[];
      const found = items.filter((e) => e.detailType === 'PurchaseRecorded' && contacts.includes(String(e.detail.data.customerId)));
      return found.length >= 2 ? found : undefined;
    });
    expect(recorded.map((e) => e.detail.data.customerId).sort()).toEqual([...contacts].sort());
    for (const e of recorded) expect([...(e.detail.data.skus as string[])].sort()).toEqual(['WON-A', 'WON-B']);
    // Someone who buys WON-A is now offered WON-B, bought with it by the won opportunity's contacts.
    const shopper = (await t.call('POST', '/customers', { body: { email: 'won-shopper@example.com' } })).json.id as string;
    const bought = await t.call('POST', `/customers/${shopper}/interactions`, { body: { channel: 'web', type: 'purchase', data: { orderId: 'w-1', items: [{ sku: 'WON-A', quantity: 1, unitPrice: 5 }] } } });
    expect(bought.status, bought.text).toBe(201);
    const offered = await eventually(async () => {
      const items = (await t.call('GET', `/customers/${shopper}/recommendations`)).json.items as { sku: string; reason: { kind: string; sku?: string } }[];
      const b = items.find((i) => i.sku === 'WON-B');
      return b?.reason.kind === 'bought_with' ? b : undefined;
    });
    expect(offered.reason).toEqual({ kind: 'bought_with', sku: 'WON-A' });
  });

  it('roles: a customer is 403 everywhere, a marketer reads but may not write', async () => {
    const o = await create();
    const customer = { role: null, headers: { authorization: `Bearer ${await t.token('customer', 'someone')}` } };
    expect((await t.call('GET', '/opportunities', customer)).status).toBe(403);
    expect((await t.call('GET', `/opportunities/${o.id}`, customer)).status).toBe(403);
    expect((await t.call('POST', '/opportunities', { ...customer, body: deal() })).status).toBe(403);
    expect((await t.call('POST', '/opportunities', { role: 'marketer', body: deal() })).status).toBe(403);
    expect((await patch(o.id, { name: 'x' }, undefined, 'marketer')).status).toBe(403);
    expect((await t.call('GET', '/opportunities', { role: 'marketer' })).status).toBe(200);
    expect((await patch(o.id, { name: 'Renamed' }, undefined, 'manager')).json.name).toBe('Renamed');
  });
});
