import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerKey } from '../../functions/customers/customer.keys.ts';
import { salesMergeConsumerFor } from '../../functions/sales/product.composition.ts';
import { ownedKey } from '../../functions/sales/product.keys.ts';
import { systemClock, uuidIds } from '../../functions/shared/system.ts';
import { createTableClient } from '../../functions/shared/table-client.ts';
import { LOCAL_AWS } from '../../infra/local/dynamodb-local.ts';
import { startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

// Issue 12's recommendation follow-ups through the real local runtime: an account's next-best
// products over what its contacts own, the per-segment best sellers for people who own nothing
// (a segment made through the segments API, purchases ingested as interactions, counted by the
// purchases consumer on the local bus), and the sales data a merge moves, an export shows and an
// erasure removes.

let t: TestRuntime;
let client: ReturnType<typeof createTableClient>;

type Item = { sku: string; reason: { kind: string; sku?: string; segmentId?: string }; score: number };

let serial = 0;
async function customer(tags: string[] = []): Promise<string> {
  const res = await t.call('POST', '/customers', { body: { email: `sales-${++serial}@shop.test`, tags } });
  expect(res.status, res.text).toBe(201);
  return res.json.id as string;
}
async function buy(customerId: string, ...skus: string[]) {
  const body = { channel: 'web', type: 'purchase', data: { orderId: `o-${++serial}`, items: skus.map((sku) => ({ sku, quantity: 1, unitPrice: 10 })) } };
  const res = await t.call('POST', `/customers/${customerId}/interactions`, { body });
  expect(res.status, res.text).toBe(201);
}
async function account(name: string, ...contacts: [string, string][]): Promise<string> {
  const res = await t.call('POST', '/accounts', { body: { name } });
  expect(res.status, res.text).toBe(201);
  for (const [customerId, role] of contacts) expect((await t.call('PUT', `/accounts/${res.json.id}/contacts/${customerId}`, { body: { role } })).status).toBe(200);
  return res.json.id as string;
}
const reco = async (path: string) => {
  const res = await t.call('GET', path);
  expect(res.status, res.text).toBe(200);
  return (res.json.items as Item[]).map((i) => [i.sku, i.reason.kind === 'bought_with' ? `bought_with:${i.reason.sku}` : i.reason.kind === 'popular_in_segment' ? `segment:${i.reason.segmentId}` : 'popular']);
};
const contactsOf = async (accountId: string) =>
  ((await t.call('GET', `/accounts/${accountId}/contacts`)).json.items as { customerId: string; role: string }[]).map((c) => `${c.customerId}:${c.role}`).sort();
const ownedItem = async (customerId: string) => (await client.send(new GetCommand({ TableName: t.runtime.tableName, Key: ownedKey(customerId), ConsistentRead: true }))).Item;

const ids: Record<string, string> = {};
let vip = '';

beforeAll(async () => {
  t = await startTestRuntime();
  client = createTableClient({ endpoint: t.runtime.dynamodbEndpoint, ...LOCAL_AWS });
  for (const [sku, active] of [['P1', true], ['P2', true], ['P3', true], ['P4', true], ['P5', true], ['P6', false]] as const) {
    expect((await t.call('PUT', `/products/${sku}`, { role: 'admin', body: { name: `Product ${sku}`, category: 'shop', price: 10, currency: 'EUR', active } })).status).toBe(201);
  }
  // A member buying before the segment exists does not count for it (counters start with the segment).
  ids.m0 = await customer(['vip']);
  await buy(ids.m0, 'P5');
  await t.runtime.idle();
  const created = await t.call('POST', '/segments', { role: 'marketer', body: { name: 'VIPs', rule: { field: 'tags', op: 'contains', value: 'vip' } } });
  expect(created.status, created.text).toBe(201);
  vip = created.json.id as string;
  for (const name of ['n1', 'n2', 'n3']) ids[name] = await customer();
  for (const name of ['m1', 'm2']) ids[name] = await customer(['vip']);
  await buy(ids.n1!, 'P1');
  await buy(ids.n2!, 'P1', 'P2');
  await buy(ids.n3!, 'P1', 'P2');
  await buy(ids.m1!, 'P3', 'P4');
  await buy(ids.m2!, 'P4');
  await buy(ids.m2!, 'P4', 'P6');
  await t.runtime.idle();
  // Owners: P1 3, P2 2, P3 1, P4 2, P5 1, P6 1 (inactive) of 6 buyers. VIP sales: P4 3, P3 1, P6 1.
});
afterAll(async () => {
  client?.destroy();
  await t?.runtime.stop();
});

describe('per-segment best sellers for people who own nothing', () => {
  it("gives a member the segment's best sellers (share of its purchases) with the segment as reason, then overall popularity", async () => {
    const newcomer = await customer(['vip']);
    expect(await reco(`/customers/${newcomer}/recommendations?limit=4`)).toEqual([
      ['P4', `segment:${vip}`],
      ['P3', `segment:${vip}`],
      ['P1', 'popular'],
      ['P2', 'popular'],
    ]);
    const items = (await t.call('GET', `/customers/${newcomer}/recommendations?limit=1`)).json.items as Item[];
    expect(items[0]!.score).toBeCloseTo(3 / 5, 10);
  });

  it('gives a non-member overall popularity (ties by sku)', async () => {
    expect(await reco(`/customers/${await customer()}/recommendations?limit=3`)).toEqual([
      ['P1', 'popular'],
      ['P2', 'popular'],
      ['P4', 'popular'],
    ]);
  });

  it('keeps customers with purchases on co-occurrence (the segment fallback is for those who own nothing)', async () => {
    expect((await reco(`/customers/${ids.m1}/recommendations?limit=5`)).every(([, reason]) => !String(reason).startsWith('segment:'))).toBe(true);
  });
});

describe('GET /accounts/{id}/recommendations', () => {
  it('recommends over what any contact owns, excluding what any of them owns and inactive products', async () => {
    const acme = await account('Acme', [ids.n1!, 'buyer'], [ids.m2!, 'user']);
    // Contacts own P1, P4, P6: P2 is bought with P1 by 2 customers; the rest is popular.
    expect(await reco(`/accounts/${acme}/recommendations?limit=3`)).toEqual([
      ['P2', 'bought_with:P1'],
      ['P3', 'popular'],
      ['P5', 'popular'],
    ]);
  });

  it("falls back to its contacts' segments, or overall popularity with no contacts", async () => {
    const members = await account('Members Inc', [await customer(['vip']), 'buyer']);
    expect(await reco(`/accounts/${members}/recommendations?limit=3`)).toEqual([
      ['P4', `segment:${vip}`],
      ['P3', `segment:${vip}`],
      ['P1', 'popular'],
    ]);
    const empty = await account('Nobody Ltd');
    expect(await reco(`/accounts/${empty}/recommendations?limit=3`)).toEqual([
      ['P1', 'popular'],
      ['P2', 'popular'],
      ['P4', 'popular'],
    ]);
  });

  it('refuses unknown accounts, bad limits and roles without staff reads', async () => {
    const acme = await account('Limits AG');
    expect((await t.call('GET', '/accounts/no-such-account/recommendations')).status).toBe(404);
    expect((await t.call('GET', `/accounts/${acme}/recommendations?limit=0`)).status).toBe(400);
    expect((await t.call('GET', `/accounts/${acme}/recommendations?limit=21`)).status).toBe(400);
    expect((await t.call('GET', `/accounts/${acme}/recommendations?other=1`)).status).toBe(400);
    expect((await t.call('GET', `/accounts/${acme}/recommendations`, { role: 'customer' })).status).toBe(403);
    expect((await t.call('GET', `/accounts/${acme}/recommendations`, { role: 'marketer' })).status).toBe(200);
  });
});

describe('merge, export and erasure of sales data', () => {
  const people: Record<string, string> = {};
  const accounts: Record<string, string> = {};
  beforeAll(async () => {
    people.target = await customer();
    people.source = await customer();
    await buy(people.target, 'P1');
    await buy(people.source, 'P4', 'P3');
    accounts.x = await account('Xylo', [people.source, 'buyer']);
    accounts.y = await account('Yarn', [people.source, 'user'], [people.target, 'ceo']);
    await t.runtime.idle();
    const merged = await t.call('POST', `/customers/${people.target}/merge`, { body: { sourceId: people.source } });
    expect(merged.status, merged.text).toBe(200);
    await t.runtime.idle();
  });

  it("moves the source's contact links (the target's role stays where it had one) and owned products to the target", async () => {
    const { target, source } = people;
    expect(await contactsOf(accounts.x!)).toEqual([`${target}:buyer`]);
    expect(await contactsOf(accounts.y!)).toEqual([`${target}:ceo`]);
    const mine = (await t.call('GET', `/customers/${target}/accounts`)).json.items as { account: { id: string }; role: string }[];
    expect(mine.map((m) => `${m.account.id}:${m.role}`).sort()).toEqual([`${accounts.x}:buyer`, `${accounts.y}:ceo`].sort());
    expect(await ownedItem(target!)).toMatchObject({ skus: ['P1', 'P3', 'P4'] });
    expect(await ownedItem(source!)).toBeUndefined();
    const skus = (await reco(`/customers/${target}/recommendations?limit=10`)).map(([sku]) => sku);
    expect(skus).not.toContain('P1');
    expect(skus).not.toContain('P3');
    expect(skus).not.toContain('P4');
  });

  it('is idempotent: the event delivered again leaves the same state', async () => {
    const before = { x: await contactsOf(accounts.x!), y: await contactsOf(accounts.y!), owned: await ownedItem(people.target!) };
    const consumer = salesMergeConsumerFor({ client, tableName: t.runtime.tableName, clock: systemClock, ids: uuidIds });
    expect(await consumer.customersMerged({ targetId: people.target!, sourceId: people.source! })).toBe('merged');
    expect({ x: await contactsOf(accounts.x!), y: await contactsOf(accounts.y!), owned: await ownedItem(people.target!) }).toEqual(before);
  });

  it("exports the person's account memberships and owned products", async () => {
    const res = await t.call('GET', `/customers/${people.target}/export`, { role: 'manager' });
    expect(res.status, res.text).toBe(200);
    expect(res.json.ownedProducts).toEqual(['P1', 'P3', 'P4']);
    const memberships = (res.json.accounts as { accountId: string; name: string; role: string }[]).map((a) => `${a.name}:${a.role}:${a.accountId}`).sort();
    expect(memberships).toEqual([`Xylo:buyer:${accounts.x}`, `Yarn:ceo:${accounts.y}`]);
    const self = await t.call('GET', '/me/export', { headers: { authorization: `Bearer ${await t.token('customer', people.target)}` } });
    expect(self.status, self.text).toBe(200);
    expect(self.json.ownedProducts).toEqual(['P1', 'P3', 'P4']);
  });

  it('erasure removes the owned products and the memberships with the person', async () => {
    const { target } = people;
    const version = (await client.send(new GetCommand({ TableName: t.runtime.tableName, Key: customerKey(target!), ConsistentRead: true }))).Item!.version as number;
    const erased = await t.call('DELETE', `/customers/${target}`, { role: 'manager', headers: { 'if-match': `"${version}"` } });
    expect(erased.status, erased.text).toBe(204);
    await t.runtime.idle();
    expect(await ownedItem(target!)).toBeUndefined();
    expect(await contactsOf(accounts.x!)).toEqual([]);
    expect(await contactsOf(accounts.y!)).toEqual([]);
    expect((await t.call('GET', `/customers/${target}/recommendations`)).status).toBe(404);
  });
});
