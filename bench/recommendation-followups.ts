import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { createCustomer } from '#domain/customers/customer.ts';
import { purchaseDelta } from '#domain/sales/co-occurrence.ts';
import { chunksOf, counterWrites } from '#functions/sales/co-occurrence.dynamodb-store.ts';
import { AccountInput } from '#domain/sales/account.schema.ts';
import type { ProductUseCases } from '#domain/sales/product.use-cases.ts';
import { toSegmentItem } from '#functions/campaigns/campaign.keys.ts';
import { toProfileItem } from '#functions/customers/customer.keys.ts';
import { accountPortsFor } from '#functions/sales/account.part.ts';
import type { SalesInfra } from '#functions/sales/sales.infra.ts';
import { apiEvent, expectStatus, lambdaContext } from './api-event.ts';
import type { Figure } from './report.ts';
import { ms, table } from './report.ts';
import { summarize } from './stats.ts';

// Section 13's follow-ups (issue 12): GET /accounts/{id}/recommendations for an account of
// `contacts` contacts who own products, and what per-segment best sellers add to a purchase (the
// segment definitions read, the buyer's profile read, |segments| x |skus| counter ADDs).

type Handler = (event: ReturnType<typeof apiEvent>, context: ReturnType<typeof lambdaContext>) => Promise<unknown>;

export async function recommendationFollowUps(input: {
  infra: SalesInfra;
  requests: { take(): string[] };
  handler: Handler;
  products: ProductUseCases;
  /** Customers who own products (the account's contacts). */
  contactIds: readonly string[];
  skus: readonly string[];
  prefix: string;
  warmup: number;
  runs: number;
}): Promise<Figure[]> {
  const { infra, requests, handler, products, contactIds, skus, prefix } = input;
  const { client, tableName } = infra;

  // An account of the given contacts.
  const { accounts } = accountPortsFor(infra);
  const account = await accounts.create(AccountInput.parse({ name: `${prefix} account` }), { id: 'bench', roles: ['admin'] }, { correlationId: 'bench' });
  for (const customerId of contactIds) await accounts.putContact(account.id, customerId, { role: 'buyer' });
  const recommend = async () => {
    const started = performance.now();
    const result = await handler(apiEvent({ route: 'GET /accounts/{id}/recommendations', pathParameters: { id: account.id }, query: { limit: '5' } }), lambdaContext('sales'));
    const elapsed = performance.now() - started;
    expectStatus(result as never, 200, 'GET /accounts/{id}/recommendations');
    return elapsed;
  };
  for (let i = 0; i < input.warmup; i++) await recommend();
  requests.take();
  const samples: number[] = [];
  const perRequest = new Map<string, number>();
  for (let i = 0; i < input.runs; i++) {
    samples.push(await recommend());
    const sent = requests.take().join(' ');
    perRequest.set(sent, (perRequest.get(sent) ?? 0) + 1);
  }
  const summary = summarize(samples);
  const requestsText = [...perRequest].map(([sent, n]) => `${sent.split(' ').length} (${n}x): ${sent}`).join('; ');
  table([
    [`account recommendation (${contactIds.length} contacts, limit 5)`, `p50 ${ms(summary.p50)}`, `p99 ${ms(summary.p99)}`, `max ${ms(summary.max)}`],
    ['DynamoDB requests per account recommendation', requestsText],
  ]);

  // Segment counters: a 2-sku purchase by a customer in 0, 1 and 3 segments (of 3).
  const now = infra.clock.now();
  for (let s = 0; s < 3; s++) {
    const segment = { id: `${prefix}-seg-${s}`, name: `bench ${s}`, description: null, rule: { field: 'tags', op: 'contains', value: `bench-seg-${s}` } as const, createdAt: now.toISOString(), updatedAt: now.toISOString(), version: 1 };
    await client.send(new PutCommand({ TableName: tableName, Item: toSegmentItem(segment) }));
  }
  const rows: string[][] = [['segments matched', 'item writes', 'transactions', 'requests']];
  const figures: Figure[] = [];
  for (const matched of [0, 1, 3]) {
    const id = `${prefix}-seg-buyer-${matched}`;
    const tags = Array.from({ length: matched }, (_, s) => `bench-seg-${s}`);
    await client.send(new PutCommand({ TableName: tableName, Item: toProfileItem(createCustomer({ email: `${id}@bench.test`, tags }, id, now).customer) }));
    const bought = skus.slice(0, 2);
    requests.take();
    await products.recordPurchase(id, bought, { kind: 'interaction', interactionId: `${id}-first`, orderId: null }, { correlationId: 'bench' });
    const sent = requests.take();
    // Claim, owned set and event, the counter ADDs (segment counters included), each later chunk's progress update.
    const chunks = chunksOf(counterWrites(tableName, purchaseDelta(new Set(), bought), { segmentIds: tags, skus: bought }));
    const writes = 3 + chunks.reduce((sum, chunk) => sum + chunk.length, 0) + (chunks.length - 1);
    rows.push([String(matched), String(writes), String(sent.filter((r) => r === 'TransactWriteItems').length), sent.join(' ')]);
    figures.push({ section: 'recommendations', figure: `writes per purchase (2 new skus, first purchase, ${matched} of 3 segments)`, value: `${writes} items, ${sent.length} requests` });
  }
  table(rows);
  return [
    { section: 'recommendations', figure: `account recommendation p50 (${contactIds.length} contacts)`, value: ms(summary.p50) },
    { section: 'recommendations', figure: 'account recommendation p99', value: ms(summary.p99) },
    { section: 'recommendations', figure: 'DynamoDB requests per account recommendation', value: [...perRequest.keys()].map((k) => String(k.split(' ').length)).join(', ') },
    ...figures,
  ];
}
