import { type DynamoDBDocumentClient, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { productUseCases } from '../../domain/sales/product.use-cases.ts';
import { chunksOf, counterWrites, dynamoCoOccurrenceStore } from '../../functions/sales/co-occurrence.dynamodb-store.ts';
import { dynamoProductRepository } from '../../functions/sales/product.dynamodb-repository.ts';
import { dynamoAccountRepository } from '../../functions/sales/account.dynamodb-repository.ts';
import { dynamoSegmentReads } from '../../functions/sales/segment-reads.dynamodb.ts';
import { purchaseDelta } from '../../domain/sales/co-occurrence.ts';
import { customerKey, toProfileItem } from '../../functions/customers/customer.keys.ts';
import { toSegmentItem } from '../../functions/campaigns/campaign.keys.ts';
import { createCustomer } from '../../domain/customers/customer.ts';
import { segmentSalesPartition } from '../../functions/sales/product.keys.ts';
import { ownedKey } from '../../functions/sales/product.keys.ts';
import { uuidIds } from '../../functions/shared/system.ts';
import { freshTable } from '../support/dynamodb.ts';
import { fakeClock } from '../support/fakes.ts';

// The purchases consumer's writes against DynamoDB Local: the counters it keeps equal the counters
// of what each customer owns, whatever the redeliveries, races and crashes between transactions;
// the claim and the owned set live in the customer's partition under the erasure guard.

let table: Awaited<ReturnType<typeof freshTable>>;
const clock = fakeClock('2026-12-01T10:00:00.000Z');
const CTX = { correlationId: 'it' };
const source = (interactionId: string) => ({ kind: 'interaction', interactionId, orderId: `order-${interactionId}` }) as const;

function useCases(client: DynamoDBDocumentClient = table.client) {
  const db = { client, tableName: table.tableName, clock, ids: uuidIds };
  const store = dynamoCoOccurrenceStore(db);
  return {
    store,
    products: productUseCases({ products: dynamoProductRepository(db), coOccurrence: store, segments: dynamoSegmentReads(db), accounts: dynamoAccountRepository(db), clock }),
  };
}

let serial = 0;
async function customer(over: Record<string, unknown> = {}): Promise<string> {
  const id = `it-customer-${++serial}`;
  await table.client.send(new PutCommand({ TableName: table.tableName, Item: { ...customerKey(id), id, ...over } }));
  return id;
}

/** The counters as stored: customers, owners per sku, pairs per sku. */
async function stored(alsoSkus: readonly string[] = []) {
  const { store } = useCases();
  const counts = await store.counts();
  const skus = [...new Set([...counts.owners.keys(), ...alsoSkus])];
  const partners = await store.partners(skus);
  return { customers: counts.customers, owners: Object.fromEntries(counts.owners), pairs: Object.fromEntries([...partners].map(([x, ys]) => [x, Object.fromEntries(ys)])) };
}

/** The counters by definition from owned sets (one fresh table per describe keeps them apart). */
function expected(owned: readonly (readonly string[])[]) {
  const owners: Record<string, number> = {};
  const pairs: Record<string, Record<string, number>> = {};
  for (const skus of owned) {
    for (const x of skus) {
      owners[x] = (owners[x] ?? 0) + 1;
      for (const y of skus) if (x !== y) (pairs[x] ??= {})[y] = (pairs[x]![y] ?? 0) + 1;
    }
  }
  return { customers: owned.filter((s) => s.length > 0).length, owners, pairs };
}

const outboxEvents = async () => (await table.scanAll()).filter((i) => String(i.pk).startsWith('OUTBOX#')).map((i) => ({ type: i.detailType, data: JSON.parse(String(i.detail)).data }));

describe('co-occurrence store on DynamoDB Local', () => {
  beforeAll(async () => {
    table = await freshTable();
  });
  afterAll(async () => {
    await table?.drop();
  });

  it('counts a purchase once: owned set and claim in the customer partition, counters, one PurchaseRecorded; redelivery is a duplicate', async () => {
    const { products } = useCases();
    const a = await customer();
    const b = await customer();
    expect(await products.recordPurchase(a, ['X', 'Y'], source('i1'), CTX)).toBe('recorded');
    expect(await products.recordPurchase(a, ['X', 'Y'], source('i1'), CTX)).toBe('duplicate');
    expect(await products.recordPurchase(a, ['Y', 'Z'], source('i2'), CTX)).toBe('recorded');
    expect(await products.recordPurchase(b, ['X', 'Z', 'Z'], source('i3'), CTX)).toBe('recorded');
    expect(await stored()).toEqual(expected([['X', 'Y', 'Z'], ['X', 'Z']]));
    const items = await table.scanAll();
    expect(items.find((i) => i.pk === `CUSTOMER#${a}` && i.sk === 'OWNED_PRODUCTS')).toMatchObject({ skus: ['X', 'Y', 'Z'], version: 2 });
    expect(items.filter((i) => i.pk === `CUSTOMER#${a}` && String(i.sk).startsWith('PURCHASE#'))).toHaveLength(2);
    const events = (await outboxEvents()).filter((e) => e.type === 'PurchaseRecorded');
    expect(events).toHaveLength(3);
    expect(events).toContainEqual({ type: 'PurchaseRecorded', data: { customerId: b, interactionId: 'i3', orderId: 'order-i3', skus: ['X', 'Z'] } });
  });

  it('concurrent purchases of one customer and concurrent redeliveries: every purchase counted exactly once', async () => {
    const { products } = useCases();
    const c = await customer();
    const baskets = [['P1', 'P2'], ['P2', 'P3'], ['P4'], ['P1', 'P5'], ['P6', 'P3']];
    const before = await stored();
    const outcomes = await Promise.all(baskets.flatMap((skus, i) => [0, 1, 2].map(() => products.recordPurchase(c, skus, source(`race-${i}`), CTX))));
    expect(outcomes.filter((o) => o === 'recorded')).toHaveLength(baskets.length);
    expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(baskets.length * 2);
    const after = await stored();
    const mine = expected([['P1', 'P2', 'P3', 'P4', 'P5', 'P6']]);
    expect(after.customers).toBe(before.customers + 1);
    for (const sku of ['P1', 'P2', 'P3', 'P4', 'P5', 'P6']) {
      expect(after.owners[sku]).toBe(1);
      expect(after.pairs[sku]).toEqual(mine.pairs[sku]);
    }
  });

  it('a purchase too big for one transaction continues in chunks, and a crash between them resumes on redelivery without double counting', async () => {
    // A customer owning 95 skus already (their owned set written directly: the counters of those
    // skus are not under test here), buying 2 new ones: 95 + 2 partner items and 2 owner counts.
    const owned = Array.from({ length: 95 }, (_, i) => `OWN-${String(i).padStart(3, '0')}`);
    const bought = ['NEW-1', 'NEW-2'];
    expect(chunksOf(counterWrites(table.tableName, purchaseDelta(new Set(owned), bought))).length).toBe(2);
    const d = await customer();
    await table.client.send(new PutCommand({ TableName: table.tableName, Item: { ...ownedKey(d), skus: owned, version: 1 } }));
    const before = await stored();

    // The second transaction fails once (the Lambda dies there).
    let transactions = 0;
    const crashing = new Proxy(table.client, {
      get(target, name, receiver) {
        if (name !== 'send') return Reflect.get(target, name, receiver);
        return async (command: unknown) => {
          if (command instanceof TransactWriteCommand && ++transactions === 2) throw new Error('Lambda died');
          return target.send(command as never);
        };
      },
    });
    await expect(useCases(crashing).products.recordPurchase(d, bought, source('big-1'), CTX)).rejects.toThrow('Lambda died');
    const claim = async () => (await table.scanAll()).find((i) => i.pk === `CUSTOMER#${d}` && i.sk === 'PURCHASE#interaction:big-1');
    expect(await claim()).toMatchObject({ applied: 1, chunks: 2 }); // the first transaction committed, the second did not
    const { products } = useCases();
    expect(await products.recordPurchase(d, bought, source('big-1'), CTX)).toBe('recorded');
    expect(await products.recordPurchase(d, bought, source('big-1'), CTX)).toBe('duplicate');

    const after = await stored(owned);
    expect(after.customers).toBe(before.customers); // not a first purchase
    expect(after.owners['NEW-1']).toBe(1);
    expect(after.owners['NEW-2']).toBe(1);
    for (const o of owned) expect(after.pairs[o], o).toEqual({ 'NEW-1': 1, 'NEW-2': 1 });
    expect(after.pairs['NEW-1']).toEqual(Object.fromEntries([...owned, 'NEW-2'].map((y) => [y, 1])));
    expect(after.pairs['NEW-2']).toEqual(Object.fromEntries([...owned, 'NEW-1'].map((y) => [y, 1])));
    expect(await claim()).toMatchObject({ applied: 2, chunks: 2 });
  });

  it('a customer being erased (or gone) gets nothing written', async () => {
    const { products } = useCases();
    const e = await customer();
    await table.client.send(new UpdateCommand({ TableName: table.tableName, Key: customerKey(e), UpdateExpression: 'SET erasingSince = :now', ExpressionAttributeValues: { ':now': clock.now().toISOString() } }));
    const before = await table.scanAll();
    expect(await products.recordPurchase(e, ['GONE-1'], source('erased-1'), CTX)).toBe('customer-gone');
    expect(await products.recordPurchase('no-such-customer', ['GONE-1'], source('erased-2'), CTX)).toBe('customer-gone');
    expect((await table.scanAll()).length).toBe(before.length);
  });

  it('per-segment sales: each segment the buyer is in counts each sku once per purchase, across chunks, a crash and redeliveries', async () => {
    const segment = (id: string, rule: unknown) =>
      table.client.send(new PutCommand({ TableName: table.tableName, Item: toSegmentItem({ id, name: id, description: null, rule: rule as never, createdAt: clock.now().toISOString(), updatedAt: clock.now().toISOString(), version: 1 }) }));
    await segment('seg-vip', { field: 'tags', op: 'contains', value: 'vip' });
    await segment('seg-all', { field: 'email', op: 'exists' });
    await segment('seg-none', { field: 'tags', op: 'contains', value: 'nobody-has-this' });
    const id = `it-vip-${++serial}`;
    const { customer: profile } = createCustomer({ email: `${id}@shop.test`, tags: ['vip'] }, id, clock.now());
    await table.client.send(new PutCommand({ TableName: table.tableName, Item: toProfileItem(profile) }));
    // 30 skus: 30 owner counts, 30 partner items, the customer count and 2 x 30 segment counters: two transactions.
    const bought = Array.from({ length: 30 }, (_, i) => `SEG-${String(i).padStart(2, '0')}`);
    let transactions = 0;
    const crashing = new Proxy(table.client, {
      get(target, name, receiver) {
        if (name !== 'send') return Reflect.get(target, name, receiver);
        return async (command: unknown) => {
          if (command instanceof TransactWriteCommand && ++transactions === 2) throw new Error('Lambda died');
          return target.send(command as never);
        };
      },
    });
    await expect(useCases(crashing).products.recordPurchase(id, [...bought, 'SEG-00'], source('seg-1'), CTX)).rejects.toThrow('Lambda died');
    // A segment made after the purchase was claimed does not count it on redelivery.
    await segment('seg-late', { field: 'email', op: 'exists' });
    const { products } = useCases();
    expect(await products.recordPurchase(id, [...bought, 'SEG-00'], source('seg-1'), CTX)).toBe('recorded');
    expect(await products.recordPurchase(id, [...bought, 'SEG-00'], source('seg-1'), CTX)).toBe('duplicate');
    const items = await table.scanAll();
    const claim = items.find((i) => i.pk === `CUSTOMER#${id}` && i.sk === 'PURCHASE#interaction:seg-1');
    expect(claim).toMatchObject({ segmentIds: ['seg-all', 'seg-vip'], chunks: 2, applied: 2 });
    const salesOf = (segmentId: string) => Object.fromEntries(items.filter((i) => i.pk === segmentSalesPartition(segmentId)).map((i) => [i.sku, i.purchases]));
    const once = Object.fromEntries(bought.map((sku) => [sku, 1]));
    expect(salesOf('seg-vip')).toEqual(once);
    expect(salesOf('seg-all')).toEqual(once);
    expect(salesOf('seg-none')).toEqual({});
    expect(salesOf('seg-late')).toEqual({});
    // A second purchase of one sku counts again (best-selling, not best-owned).
    expect(await products.recordPurchase(id, ['SEG-07'], source('seg-2'), CTX)).toBe('recorded');
    const after = Object.fromEntries((await table.scanAll()).filter((i) => i.pk === segmentSalesPartition('seg-vip')).map((i) => [i.sku, i.purchases]));
    expect(after['SEG-07']).toBe(2);
    expect(after['SEG-08']).toBe(1);
  });
});
