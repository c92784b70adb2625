import { type DynamoDBDocumentClient, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { productUseCases } from '../../domain/sales/product.use-cases.ts';
import { chunksOf, counterWrites, dynamoCoOccurrenceStore } from '../../functions/sales/co-occurrence.dynamodb-store.ts';
import { dynamoProductRepository } from '../../functions/sales/product.dynamodb-repository.ts';
import { purchaseDelta } from '../../domain/sales/co-occurrence.ts';
import { customerKey } from '../../functions/customers/customer.keys.ts';
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
  return { store, products: productUseCases({ products: dynamoProductRepository(db), coOccurrence: store, clock }) };
}

let serial = 0;
async function customer(over: Record<string, unknown> = {}): Promise<string> {
  const id = `it-customer-${++serial}`;
  await table.client.send(new PutCommand({ TableName: table.tableName, Item: { ...customerKey(id), id, ...over } }));
  return id;
}

/** The counters as stored: customers, owners per sku, pairs per sku. */
async function stored() {
  const { store } = useCases();
  const counts = await store.counts();
  const skus = [...counts.owners.keys()];
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
    const owned = Array.from({ length: 120 }, (_, i) => `OWN-${String(i).padStart(3, '0')}`);
    const delta = purchaseDelta(new Set(owned), ['NEW-1', 'NEW-2']);
    expect(chunksOf(counterWrites(table.tableName, delta)).length).toBeGreaterThan(1); // 122 partner items + 2 owners

    const { products } = useCases();
    const d = await customer();
    expect(await products.recordPurchase(d, owned, source('big-0'), CTX)).toBe('recorded');
    // The second transaction of the next purchase fails once (the Lambda dies there).
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
    await expect(useCases(crashing).products.recordPurchase(d, ['NEW-1', 'NEW-2'], source('big-1'), CTX)).rejects.toThrow('Lambda died');
    expect(await products.recordPurchase(d, ['NEW-1', 'NEW-2'], source('big-1'), CTX)).toBe('recorded');
    expect(await products.recordPurchase(d, ['NEW-1', 'NEW-2'], source('big-1'), CTX)).toBe('duplicate');
    const after = await stored();
    const want = expected([[...owned, 'NEW-1', 'NEW-2']]);
    for (const sku of [...owned, 'NEW-1', 'NEW-2']) {
      expect(after.owners[sku], sku).toBe(1);
      expect(after.pairs[sku], sku).toEqual(want.pairs[sku]);
    }
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
});
