import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PURCHASE_PREFIX, purchasesShardPartition, purchaseShard } from '../../functions/analytics/purchase.keys.ts';
import { createTableClient } from '../../functions/shared/table-client.ts';
import { LOCAL_AWS } from '../../infra/local/dynamodb-local.ts';
import { TABLE } from '../../infra/table.ts';
import { eventually, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

// Purchases through the public ingestion API reach the analytics feed (its rule on the local bus):
// one purchase item per purchase interaction with a value, in the customer's partition and in the
// sparse listing the fit reads; interactions without a value and other types leave none.

let t: TestRuntime;
let client: ReturnType<typeof createTableClient>;

beforeAll(async () => {
  t = await startTestRuntime();
  client = createTableClient({ endpoint: t.runtime.dynamodbEndpoint, ...LOCAL_AWS });
});
afterAll(async () => {
  await t?.runtime.stop();
});

const purchasesOf = async (customerId: string) =>
  (
    await client.send(
      new QueryCommand({ TableName: t.runtime.tableName, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)', ExpressionAttributeValues: { ':pk': `CUSTOMER#${customerId}`, ':p': PURCHASE_PREFIX }, ConsistentRead: true }),
    )
  ).Items ?? [];
const listed = async (customerId: string) => {
  const index = TABLE.indexes.byCreatedAt;
  const out = await client.send(
    new QueryCommand({
      TableName: t.runtime.tableName,
      IndexName: index.name,
      KeyConditionExpression: `${index.partitionKey} = :pk`,
      ExpressionAttributeValues: { ':pk': purchasesShardPartition(purchaseShard(customerId)) },
    }),
  );
  return (out.Items ?? []).filter((i) => i.customerId === customerId);
};

describe('analytics purchase feed', () => {
  it('keeps one purchase item per purchase interaction with a value, on its day, listed for the fit', async () => {
    const created = await t.call('POST', '/customers', { body: { email: 'feed@shop.test' } });
    expect(created.status, created.text).toBe(201);
    const id = created.json.id as string;
    const record = async (body: Record<string, unknown>) => {
      const res = await t.call('POST', `/customers/${id}/interactions`, { body: { channel: 'web', ...body } });
      expect(res.status, res.text).toBe(201);
      return res.json.id as string;
    };
    const lines = await record({ type: 'purchase', occurredAt: '1997-01-02T10:00:00Z', data: { orderId: 'o1', items: [{ sku: 'CD-1', unitPrice: 9.99, quantity: 2 }, { sku: 'CD-2', unitPrice: 5 }] } });
    const plain = await record({ type: 'purchase', occurredAt: '1997-02-03T23:59:00+00:00', data: { amount: 29.33, currency: 'USD' } });
    await record({ type: 'purchase', occurredAt: '1997-02-04T10:00:00Z', data: { note: 'no value' } });
    await record({ type: 'page_view', occurredAt: '1997-02-05T10:00:00Z', data: { amount: 3 } });

    const items = await eventually(async () => {
      const found = await purchasesOf(id);
      return found.length >= 2 ? found : undefined;
    });
    await t.runtime.idle();
    expect((await purchasesOf(id)).map((i) => ({ sk: i.sk, amount: i.amount, currency: i.currency }))).toEqual([
      { sk: `${PURCHASE_PREFIX}1997-01-02#${lines}`, amount: 24.98, currency: 'EUR' },
      { sk: `${PURCHASE_PREFIX}1997-02-03#${plain}`, amount: 29.33, currency: 'USD' },
    ]);
    expect(items).toHaveLength(2);
    expect((await listed(id)).map((i) => i.day)).toEqual(['1997-01-02', '1997-02-03']);
  });

  it('takes purchases of the batch route too, and an erased customer keeps none', async () => {
    const created = await t.call('POST', '/customers', { body: { email: 'batch-feed@shop.test' } });
    const id = created.json.id as string;
    const batch = await t.call('POST', '/interactions', {
      body: { items: [1, 2, 3].map((n) => ({ customerId: id, channel: 'store', type: 'purchase', occurredAt: `1997-03-0${n}T12:00:00Z`, data: { amount: n * 10 } })) },
    });
    expect(batch.status, batch.text).toBeLessThan(300);
    await eventually(async () => ((await purchasesOf(id)).length === 3 ? true : undefined));
    expect((await purchasesOf(id)).map((i) => i.amount)).toEqual([10, 20, 30]);

    const erased = await t.call('DELETE', `/customers/${id}`, { role: 'admin', headers: { 'if-match': created.headers.get('etag')! } });
    expect(erased.status, erased.text).toBeLessThan(300);
    await t.runtime.idle();
    expect(await purchasesOf(id)).toEqual([]);
    expect(await listed(id)).toEqual([]);
  });
});
