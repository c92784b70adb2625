import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyticsFeedConsumersFor } from '../../functions/analytics/analytics.composition.ts';
import { segmentPopulation } from '../../domain/analytics/customer-segments.ts';
import { summarisePurchases } from '../../domain/analytics/purchase-history.ts';
import { dynamoModelStore } from '../../functions/analytics/analytics.dynamodb.ts';
import { dynamoSegmentationStore } from '../../functions/analytics/segmentation.dynamodb.ts';
import { scoresKey } from '../../functions/analytics/analytics.keys.ts';
import { PURCHASE_PREFIX } from '../../functions/analytics/purchase.keys.ts';
import { systemClock, uuidIds } from '../../functions/shared/system.ts';
import { createTableClient } from '../../functions/shared/table-client.ts';
import { LOCAL_AWS } from '../../infra/local/dynamodb-local.ts';
import { readCdnow } from '../support/cdnow.ts';
import { eventually, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

// Won opportunities and merges in the analytics feed, through the real local runtime: an
// opportunity won over the API becomes a purchase of each contact of its account (an even share,
// on its close date) and refreshes their scores; a merge over the API moves the merged-away
// customer's purchases to the target, deletes its scores and refreshes the target's. The fit is
// proven elsewhere (analytics-clv, cdnow-clv): here the model is the published CDNOW one, stored
// as a fit would store it (with the RFM boundaries and clusters of the CDNOW customers, which a
// refresh needs too), so that scores exist without loading a data set.

let t: TestRuntime;
let client: ReturnType<typeof createTableClient>;
const infra = () => ({ client, tableName: t.runtime.tableName, clock: systemClock, ids: uuidIds });

beforeAll(async () => {
  t = await startTestRuntime({ analyticsCurrency: 'USD' });
  client = createTableClient({ endpoint: t.runtime.dynamodbEndpoint, ...LOCAL_AWS });
  await dynamoModelStore(infra()).save({
    asOf: '2026-01-01',
    periodUnit: 'week',
    currency: 'USD',
    customers: 2357,
    bgnbd: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426, logLikelihood: -9582.4 },
    gammaGamma: { p: 6.25, q: 3.74, gamma: 15.44 },
    fittedAt: '2026-01-02T00:00:00.000Z',
    jobId: 'published-cdnow',
  });
  const meta = { asOf: '2026-01-01', jobId: 'published-cdnow', fittedAt: '2026-01-02T00:00:00.000Z' };
  await dynamoSegmentationStore(infra()).save(segmentPopulation(summarisePurchases(readCdnow(), '1997-09-30', 'week'), new Map(), meta).segmentation);
});
afterAll(async () => {
  client?.destroy();
  await t?.runtime.stop();
});

let serial = 0;
async function customer(): Promise<string> {
  const res = await t.call('POST', '/customers', { body: { email: `won-${++serial}@shop.test` } });
  expect(res.status, res.text).toBe(201);
  return res.json.id as string;
}
async function buy(customerId: string, day: string, amount: number) {
  const res = await t.call('POST', `/customers/${customerId}/interactions`, { body: { channel: 'store', type: 'purchase', occurredAt: `${day}T12:00:00Z`, data: { amount, currency: 'USD' } } });
  expect(res.status, res.text).toBe(201);
}
async function account(...contacts: string[]): Promise<string> {
  const res = await t.call('POST', '/accounts', { body: { name: `Account ${++serial}` } });
  expect(res.status, res.text).toBe(201);
  for (const customerId of contacts) expect((await t.call('PUT', `/accounts/${res.json.id}/contacts/${customerId}`, { body: { role: 'buyer' } })).status).toBe(200);
  return res.json.id as string;
}
async function win(accountId: string, amount: number, closeDate: string): Promise<string> {
  const created = await t.call('POST', '/opportunities', { body: { accountId, name: 'Renewal', amount, currency: 'USD', closeDate: '2027-03-31' } });
  expect(created.status, created.text).toBe(201);
  // Won without a closeDate closes today: a deal entered after the fact names the day it closed.
  const won = await t.call('PATCH', `/opportunities/${created.json.id}`, { body: { stage: 'won', closeDate }, headers: { 'content-type': 'application/merge-patch+json' } });
  expect(won.status, won.text).toBe(200);
  return created.json.id as string;
}
const purchasesOf = async (customerId: string) =>
  ((
    await client.send(
      new QueryCommand({ TableName: t.runtime.tableName, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)', ExpressionAttributeValues: { ':pk': `CUSTOMER#${customerId}`, ':p': PURCHASE_PREFIX }, ConsistentRead: true }),
    )
  ).Items ?? []).map((i) => ({ sk: String(i.sk), amount: i.amount as number, currency: i.currency as string }));
const scoresOf = async (customerId: string) => {
  const res = await t.call('GET', `/customers/${customerId}/scores`);
  return res.status === 200 ? res.json : undefined;
};

describe('won opportunities in the analytics feed', () => {
  const people: string[] = [];
  let opportunityId = '';
  beforeAll(async () => {
    for (let i = 0; i < 3; i++) people.push(await customer());
    await buy(people[0]!, '2026-10-01', 50);
    await t.runtime.idle();
    opportunityId = await win(await account(...people), 100, '2026-11-20');
    await t.runtime.idle();
  });

  it('gives each contact an even share on the close date, the cents left over to the first by id, and refreshes their scores', async () => {
    const sorted = [...people].sort();
    const shares = new Map(sorted.map((id, i) => [id, i === 0 ? 33.34 : 33.33]));
    for (const id of people) {
      const mine = await purchasesOf(id);
      expect(mine).toContainEqual({ sk: `${PURCHASE_PREFIX}2026-11-20#opportunity:${opportunityId}`, amount: shares.get(id), currency: 'USD' });
    }
    // The first contact bought before: the won deal is its first repeat transaction.
    const buyer = await eventually(async () => ((await scoresOf(people[0]!))?.frequency === 1 ? scoresOf(people[0]!) : undefined));
    expect(buyer).toMatchObject({ frequency: 1, monetary: shares.get(people[0]!), currency: 'USD', periodUnit: 'week' });
    for (const id of people.slice(1)) expect(await scoresOf(id)).toMatchObject({ frequency: 0, currency: 'USD' });
  });

  it('records nothing twice when the event comes again', async () => {
    const before = await Promise.all(people.map(purchasesOf));
    const result = await analyticsFeedConsumersFor(infra(), { currency: 'USD' }).won.opportunityWon({ opportunityId });
    expect(result).toMatchObject({ outcome: 'recorded', contacts: { duplicate: 3 } });
    expect(await Promise.all(people.map(purchasesOf))).toEqual(before);
  });
});

describe('merges in the analytics feed', () => {
  const people: Record<'target' | 'source', string> = { target: '', source: '' };
  let opportunityId = '';
  beforeAll(async () => {
    people.target = await customer();
    people.source = await customer();
    await buy(people.target, '2026-09-01', 20);
    await buy(people.source, '2026-09-15', 30);
    await buy(people.source, '2026-10-15', 40);
    opportunityId = await win(await account(people.target, people.source), 10, '2026-11-02');
    await t.runtime.idle();
    expect(await scoresOf(people.source)).toMatchObject({ frequency: 2 });
    const merged = await t.call('POST', `/customers/${people.target}/merge`, { body: { sourceId: people.source } });
    expect(merged.status, merged.text).toBe(200);
    await t.runtime.idle();
  });

  it("moves the source's purchases to the target (one won deal's two shares become one), deletes its scores, refreshes the target's", async () => {
    expect(await purchasesOf(people.source)).toEqual([]);
    const moved = await purchasesOf(people.target);
    expect(moved.map((p) => [p.sk.slice(PURCHASE_PREFIX.length, PURCHASE_PREFIX.length + 10), p.amount])).toEqual([
      ['2026-09-01', 20],
      ['2026-09-15', 30],
      ['2026-10-15', 40],
      ['2026-11-02', 10],
    ]);
    expect(moved[3]!.sk).toBe(`${PURCHASE_PREFIX}2026-11-02#opportunity:${opportunityId}`);
    expect((await client.send(new GetCommand({ TableName: t.runtime.tableName, Key: scoresKey(people.source), ConsistentRead: true }))).Item).toBeUndefined();
    const target = await eventually(async () => ((await scoresOf(people.target))?.frequency === 3 ? scoresOf(people.target) : undefined));
    expect(target.monetary).toBeCloseTo((30 + 40 + 10) / 3, 2);
  });

  it('is idempotent: the event delivered again moves nothing', async () => {
    const before = await purchasesOf(people.target);
    expect(await analyticsFeedConsumersFor(infra(), { currency: 'USD' }).merges.customersMerged({ targetId: people.target, sourceId: people.source })).toEqual({ outcome: 'merged', purchases: {} });
    expect(await purchasesOf(people.target)).toEqual(before);
  });
});
