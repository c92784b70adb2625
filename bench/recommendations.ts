import { BatchWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { purchaseDelta } from '#domain/sales/co-occurrence.ts';
import { chunksOf, counterWrites } from '#functions/sales/co-occurrence.dynamodb-store.ts';
import { productsFor } from '#functions/sales/product.composition.ts';
import { customersCountKey, ownedKey, ownersKey, PARTNER_PREFIX, partnersKey } from '#functions/sales/product.keys.ts';
import { salesHandler } from '#functions/sales/sales.app.ts';
import { customerKey } from '#functions/customers/customer.keys.ts';
import { systemClock, uuidIds } from '#functions/shared/system.ts';
import { apiEvent, expectStatus, lambdaContext } from './api-event.ts';
import type { Section } from './context.ts';
import { heading, ms, table } from './report.ts';
import { summarize } from './stats.ts';
import { seededRandom } from './interactions.ts';
import { recommendationFollowUps } from './recommendation-followups.ts';

// Issue 12's figures: GET /customers/{id}/recommendations p50/p99 over RECO_BENCH_CUSTOMERS
// customers (10,000) and RECO_BENCH_PRODUCTS products (200), the DynamoDB requests one costs, and
// the writes one purchase costs by the size of what its customer already owns.
//
// The aggregates: the first RECO_BENCH_THROUGH_CONSUMER customers' orders (1,000 customers, about 2,000 purchases) go through the
// real use case the purchases consumer runs (claim, owned set, event, counter ADDs); the others'
// owned sets and their share of the counters are computed here and written directly (BatchWrite
// of the owned sets, one UpdateItem ADD per counter item), the same items the consumer writes.
// Customers favour one category (10 products each) and, within it, its first products.

const CATEGORY_SIZE = 10;


const skuOf = (i: number) => `SKU-${String(i).padStart(4, '0')}`;

/** Each customer's orders: 1-3 orders of 1-4 skus, 80 % from their favourite category, skewed to its first products. */
function ordersOf(customers: number, products: number): string[][][] {
  const random = seededRandom(12);
  const categories = Math.max(1, Math.floor(products / CATEGORY_SIZE));
  const pick = (category: number) => skuOf(Math.min(products - 1, category * CATEGORY_SIZE + Math.floor(random() ** 2 * CATEGORY_SIZE)));
  return Array.from({ length: customers }, () => {
    const favourite = Math.floor(random() * categories);
    return Array.from({ length: 1 + Math.floor(random() * 3) }, () =>
      Array.from({ length: 1 + Math.floor(random() * 4) }, () => pick(random() < 0.8 ? favourite : Math.floor(random() * categories))),
    );
  });
}

export function recommendationSection(options: { customers: number; products: number; throughConsumer: number; warmup: number; runs: number }): Section {
  return async (context) => {
    heading(`Recommendations: ${options.customers} customers, ${options.products} products`);
    const { client, tableName, requests } = await context.table();
    // The recommendation routes create no schedules (only activities with a dueAt do).
    const schedules = { at: () => Promise.reject(new Error('this bench schedules nothing')), cancel: () => Promise.reject(new Error('this bench schedules nothing')) };
    const infra = { client, tableName, clock: systemClock, ids: uuidIds, schedules };
    const products = productsFor(infra);
    const prefix = `reco-${Date.now()}`;
    const customerId = (i: number) => `${prefix}-${i}`;
    const batchPut = async (items: Record<string, unknown>[]) => {
      for (let start = 0; start < items.length; start += 25) {
        let pending: unknown[] = items.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } }));
        while (pending.length) pending = ((await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending as never } }))).UnprocessedItems?.[tableName] as unknown[] | undefined) ?? [];
      }
    };

    // The catalogue (every tenth product inactive) and the customers' profiles.
    for (let i = 0; i < options.products; i++) {
      await products.put(skuOf(i), { name: `Product ${i}`, category: `cat-${Math.floor(i / CATEGORY_SIZE)}`, price: 10, currency: 'EUR', active: i % 10 !== 9 }, undefined);
    }
    await batchPut(Array.from({ length: options.customers + 1 }, (_, i) => ({ ...customerKey(customerId(i)), id: customerId(i), type: 'Customer' })));
    const orders = ordersOf(options.customers, options.products);

    // Through the consumer's use case.
    let seeded = performance.now();
    const through = Math.min(options.throughConsumer, options.customers);
    let purchases = 0;
    for (let c = 0; c < through; c++) {
      for (const [o, skus] of orders[c]!.entries()) {
        await products.recordPurchase(customerId(c), skus, { kind: 'interaction', interactionId: `${customerId(c)}-${o}`, orderId: `o-${o}` }, { correlationId: 'bench' });
        purchases++;
      }
    }
    const consumerMs = performance.now() - seeded;
    // The rest, written directly.
    seeded = performance.now();
    const owners = new Map<string, number>();
    const pairs = new Map<string, Map<string, number>>();
    const ownedItems: Record<string, unknown>[] = [];
    for (let c = through; c < options.customers; c++) {
      const owned = [...new Set(orders[c]!.flat())].sort();
      ownedItems.push({ ...ownedKey(customerId(c)), type: 'OwnedProducts', skus: owned, version: orders[c]!.length });
      for (const x of owned) {
        owners.set(x, (owners.get(x) ?? 0) + 1);
        const row = pairs.get(x) ?? new Map<string, number>();
        for (const y of owned) if (y !== x) row.set(y, (row.get(y) ?? 0) + 1);
        pairs.set(x, row);
      }
    }
    await batchPut(ownedItems);
    const add = (Key: Record<string, string>, counts: [string, number][], sku?: string) =>
      client.send(
        new UpdateCommand({
          TableName: tableName,
          Key,
          UpdateExpression: `${sku ? 'SET #sku = :sku ' : ''}ADD ${counts.map((_, i) => `#a${i} :v${i}`).join(', ')}`,
          ExpressionAttributeNames: { ...Object.fromEntries(counts.map(([name], i) => [`#a${i}`, name])), ...(sku ? { '#sku': 'sku' } : {}) },
          ExpressionAttributeValues: { ...Object.fromEntries(counts.map(([, n], i) => [`:v${i}`, n])), ...(sku ? { ':sku': sku } : {}) },
        }),
      );
    for (const [x, row] of pairs) if (row.size) await add(partnersKey(x), [...row].map(([y, n]) => [`${PARTNER_PREFIX}${y}`, n]), x);
    for (const [x, n] of owners) await add(ownersKey(x), [['owners', n]], x);
    if (options.customers > through) await add(customersCountKey(), [['customers', options.customers - through]]);
    const directMs = performance.now() - seeded;
    table([
      ['seeded through the consumer use case', `${through} customers, ${purchases} purchases`, `${(consumerMs / 1000).toFixed(1)} s (${ms(consumerMs / Math.max(1, purchases))} each)`],
      ['written directly', `${options.customers - through} customers`, `${(directMs / 1000).toFixed(1)} s`],
    ]);

    // Recommendations through the sales handler, as the Lambda runs it.
    const handler = salesHandler(infra);
    const random = seededRandom(99);
    const recommend = async (id: string) => {
      const started = performance.now();
      const result = await handler(apiEvent({ route: 'GET /customers/{id}/recommendations', pathParameters: { id }, query: { limit: '5' } }), lambdaContext('sales'));
      const elapsed = performance.now() - started;
      const body = expectStatus(result, 200, 'GET /customers/{id}/recommendations') as { items: { reason: { kind: string } }[] };
      return { elapsed, body };
    };
    for (let i = 0; i < options.warmup; i++) await recommend(customerId(Math.floor(random() * options.customers)));
    requests.take();
    const samples: number[] = [];
    const perRequest = new Map<number, number>();
    let boughtWith = 0;
    for (let i = 0; i < options.runs; i++) {
      const { elapsed, body } = await recommend(customerId(Math.floor(random() * options.customers)));
      samples.push(elapsed);
      const sent = requests.take().length;
      perRequest.set(sent, (perRequest.get(sent) ?? 0) + 1);
      boughtWith += body.items.filter((item) => item.reason.kind === 'bought_with').length;
    }
    const summary = summarize(samples);
    const newcomer = await recommend(customerId(options.customers));
    const newcomerRequests = requests.take();
    const requestsText = [...perRequest].sort(([a], [b]) => a - b).map(([n, count]) => `${n} (${count}x)`).join(', ');
    table([
      ['recommendation (limit 5)', `p50 ${ms(summary.p50)}`, `p99 ${ms(summary.p99)}`, `max ${ms(summary.max)}`],
      ['DynamoDB requests per recommendation', requestsText],
      ['bought_with items per answer (mean)', (boughtWith / options.runs).toFixed(2)],
      ['new customer (popular only)', `${newcomerRequests.length} requests: ${newcomerRequests.join(', ')}`, `${newcomer.body.items.length} items`],
    ]);

    // Writes per purchase: 2 new skus for a customer owning |O| already.
    const writeRows: string[][] = [['owned before', 'new skus', 'item writes', 'transactions', 'requests']];
    const writeFigures: { owned: number; writes: number; transactions: number }[] = [];
    let extra = options.customers + 1;
    for (const size of [0, 5, 20, 50, 100, 150].filter((n) => n + 2 <= options.products)) {
      const id = customerId(extra++);
      await batchPut([{ ...customerKey(id), id, type: 'Customer' }]);
      const owned = Array.from({ length: size }, (_, i) => skuOf(i));
      if (size) await products.recordPurchase(id, owned, { kind: 'interaction', interactionId: `${id}-setup`, orderId: null }, { correlationId: 'bench' });
      const bought = [skuOf(options.products - 1), skuOf(options.products - 2)];
      const chunks = chunksOf(counterWrites(tableName, purchaseDelta(new Set(owned), bought)));
      requests.take();
      await products.recordPurchase(id, bought, { kind: 'interaction', interactionId: `${id}-measured`, orderId: null }, { correlationId: 'bench' });
      const sent = requests.take();
      // Claim, owned set and event, the counter ADDs, and each later chunk's progress update on the claim.
      const writes = 3 + chunks.reduce((sum, chunk) => sum + chunk.length, 0) + (chunks.length - 1);
      writeFigures.push({ owned: size, writes, transactions: chunks.length });
      writeRows.push([String(size), '2', String(writes), String(sent.filter((s) => s === 'TransactWriteItems').length), sent.join(' ')]);
    }
    table(writeRows);

    // Accounts (20 contacts who own products) and the per-segment counters' share of a purchase.
    const followUps = await recommendationFollowUps({
      infra,
      requests,
      handler,
      products,
      contactIds: Array.from({ length: Math.min(20, options.customers) }, (_, i) => customerId(i)),
      skus: [skuOf(0), skuOf(1)],
      prefix,
      warmup: options.warmup,
      runs: Math.min(options.runs, 100),
    });

    return [
      { section: 'recommendations', figure: `p50 (${options.customers} customers, ${options.products} products)`, value: ms(summary.p50) },
      { section: 'recommendations', figure: 'p99', value: ms(summary.p99) },
      { section: 'recommendations', figure: 'DynamoDB requests per recommendation', value: requestsText },
      ...writeFigures.map((f) => ({ section: 'recommendations', figure: `writes per purchase (2 new, ${f.owned} owned)`, value: `${f.writes} items in ${f.transactions} transaction(s)` })),
      ...followUps,
    ];
  };
}
