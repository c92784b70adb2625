import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

// Products and next-best products through the real local runtime: the catalogue over HTTP,
// purchases as interactions (both ingestion routes), the purchase-interactions rule on the local
// bus to the purchases consumer, then recommendations read from the counters it keeps.

let t: TestRuntime;
const busEvents = async (detailType: string) =>
  ((await t.call('GET', '/_local/events?limit=500', { role: null })).json.items as { detailType: string; detail: { data: Record<string, unknown> } }[])
    .filter((e) => e.detailType === detailType)
    .map((e) => e.detail.data);

let serial = 0;
async function customer(): Promise<string> {
  const res = await t.call('POST', '/customers', { body: { email: `buyer-${++serial}@shop.test` } });
  expect(res.status, res.text).toBe(201);
  return res.json.id as string;
}
const purchase = (orderId: string, ...skus: string[]) => ({ channel: 'web', type: 'purchase', data: { orderId, items: skus.map((sku) => ({ sku, quantity: 1, unitPrice: 10 })) } });
async function buy(customerId: string, orderId: string, ...skus: string[]) {
  const res = await t.call('POST', `/customers/${customerId}/interactions`, { body: purchase(orderId, ...skus) });
  expect(res.status, res.text).toBe(201);
}
const product = (name: string, active = true, category = 'kitchen') => ({ name, category, price: 19.9, currency: 'EUR', active });
const recommendations = async (customerId: string, query = '') => {
  const res = await t.call('GET', `/customers/${customerId}/recommendations${query}`);
  expect(res.status, res.text).toBe(200);
  return res.json.items as { sku: string; name: string; score: number; reason: { kind: string; sku?: string }; support: number; confidence: number; lift: number }[];
};

beforeAll(async () => {
  t = await startTestRuntime();
});
afterAll(async () => {
  await t?.runtime.stop();
});

describe('products', () => {
  it('creates and replaces by sku with versions, honours If-Match, lists by category and active flag', async () => {
    const created = await t.call('PUT', '/products/KETTLE-1', { role: 'marketer', body: product('Kettle') });
    expect(created.status, created.text).toBe(201);
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.json).toMatchObject({ sku: 'KETTLE-1', name: 'Kettle', active: true, version: 1 });

    const stale = await t.call('PUT', '/products/KETTLE-1', { role: 'manager', body: product('Kettle 2'), headers: { 'if-match': '"7"' } });
    expect(stale.status).toBe(412);
    const replaced = await t.call('PUT', '/products/KETTLE-1', { role: 'manager', body: product('Kettle 2', false, 'appliances'), headers: { 'if-match': '"1"' } });
    expect(replaced.status, replaced.text).toBe(200);
    expect(replaced.json).toMatchObject({ name: 'Kettle 2', category: 'appliances', active: false, version: 2, createdAt: created.json.createdAt });
    expect((await t.call('GET', '/products/KETTLE-1')).json.name).toBe('Kettle 2');

    await t.call('PUT', '/products/TOASTER-1', { role: 'admin', body: product('Toaster', true, 'appliances') });
    const ofCategory = (await t.call('GET', '/products?category=appliances')).json.items.map((p: { sku: string }) => p.sku);
    expect(ofCategory).toEqual(['TOASTER-1', 'KETTLE-1']); // active first
    expect((await t.call('GET', '/products?category=appliances&active=false')).json.items.map((p: { sku: string }) => p.sku)).toEqual(['KETTLE-1']);
    const paged = await t.call('GET', '/products?category=appliances&limit=1');
    expect(paged.json.items).toHaveLength(1);
    expect((await t.call('GET', `/products?category=appliances&limit=1&cursor=${paged.json.nextCursor}`)).json.items[0].sku).toBe('KETTLE-1');
  });

  it('refuses bad input and writes by roles without the right', async () => {
    expect((await t.call('PUT', '/products/BAD-1', { role: 'admin', body: { ...product('X'), price: -1 } })).status).toBe(400);
    expect((await t.call('PUT', '/products/BAD-1', { role: 'admin', body: { ...product('X'), currency: 'XYZ' } })).status).toBe(400);
    expect((await t.call('PUT', '/products/BAD-1', { role: 'agent', body: product('X') })).status).toBe(403);
    expect((await t.call('GET', '/products/BAD-1')).status).toBe(404);
    expect((await t.call('GET', '/products?active=maybe')).status).toBe(400);
    expect((await t.call('GET', '/products', { role: 'customer' })).status).toBe(403);
  });
});

describe('recommendations', () => {
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    for (const [sku, name, active] of [
      ['A', 'Apron', true],
      ['B', 'Bread knife', true],
      ['C', 'Colander', true],
      ['D', 'Dish rack', true],
      ['E', 'Egg timer', true],
      ['F', 'Fondue set', false],
    ] as const) {
      expect((await t.call('PUT', `/products/${sku}`, { role: 'admin', body: product(name, active, 'cooking') })).status).toBe(201);
    }
    for (const name of ['c1', 'c2', 'c3', 'c4', 'c5', 'target', 'newcomer']) ids[name] = await customer();
    await buy(ids.c1!, 'o1', 'A', 'B');
    await buy(ids.c2!, 'o2', 'A');
    await buy(ids.c2!, 'o3', 'B', 'A'); // A again: owned already, counts once
    await buy(ids.c3!, 'o4', 'A', 'B', 'C', 'F');
    await buy(ids.c4!, 'o5', 'A', 'C', 'F');
    // The batch ingestion route records purchases too; a malformed purchase is ignored.
    const batch = await t.call('POST', '/interactions', {
      body: { items: [{ customerId: ids.c5, ...purchase('o6', 'D') }, { customerId: ids.c5, channel: 'web', type: 'purchase', data: { items: 'not a list' } }] },
    });
    expect(batch.status, batch.text).toBe(200);
    await buy(ids.target!, 'o7', 'A');
    await t.runtime.idle();
  });

  it('publishes one PurchaseRecorded per purchase understood', async () => {
    const recorded = await busEvents('PurchaseRecorded');
    expect(recorded).toHaveLength(7);
    expect(recorded).toContainEqual(expect.objectContaining({ customerId: ids.c3, orderId: 'o4', skus: ['A', 'B', 'C', 'F'] }));
  });

  it('ranks what was bought with what the customer owns by lift, with its reason, then fills with popular products', async () => {
    const items = await recommendations(ids.target!, '?limit=4');
    // 6 customers with purchases; owners A 5, B 3, C 2, D 1 (and the first test's toaster 0, after E by sku).
    expect(items.map((i) => [i.sku, i.reason])).toEqual([
      ['B', { kind: 'bought_with', sku: 'A' }],
      ['C', { kind: 'bought_with', sku: 'A' }],
      ['D', { kind: 'popular' }],
      ['E', { kind: 'popular' }],
    ]);
    const [b, c] = items;
    // pair(A,B) = 3 of owners(A) = 5: confidence 0.6; support 3/6; lift 0.6 / (3/6) = 1.2.
    expect(b).toMatchObject({ name: 'Bread knife', confidence: 0.6, support: 0.5 });
    expect(b!.lift).toBeCloseTo(1.2, 10);
    expect(b!.score).toBe(b!.lift);
    // pair(A,C) = 2: confidence 0.4, lift 0.4 / (2/6) = 1.2, a tie broken by confidence.
    expect(c!.confidence).toBeCloseTo(0.4, 10);
    expect(c!.lift).toBeCloseTo(1.2, 10);
    expect(items.map((i) => i.sku)).not.toContain('A'); // owned
    expect(items.map((i) => i.sku)).not.toContain('F'); // inactive, though bought with A twice
    expect((await recommendations(ids.target!, '?limit=1')).map((i) => i.sku)).toEqual(['B']);
  });

  it('answers a customer without purchases with the most popular active products', async () => {
    const items = await recommendations(ids.newcomer!, '?limit=3');
    expect(items.map((i) => [i.sku, i.reason.kind])).toEqual([
      ['A', 'popular'],
      ['B', 'popular'],
      ['C', 'popular'],
    ]);
    expect(items[0]!.score).toBeCloseTo(5 / 6, 10);
  });

  it('refuses unknown customers, bad limits and customer tokens', async () => {
    expect((await t.call('GET', '/customers/nobody-here/recommendations')).status).toBe(404);
    expect((await t.call('GET', `/customers/${ids.target}/recommendations?limit=21`)).status).toBe(400);
    expect((await t.call('GET', `/customers/${ids.target}/recommendations?limit=0`)).status).toBe(400);
    expect((await t.call('GET', `/customers/${ids.target}/recommendations`, { role: 'customer' })).status).toBe(403);
    expect((await t.call('GET', `/customers/${ids.target}/recommendations`, { role: 'marketer' })).status).toBe(200);
  });
});
