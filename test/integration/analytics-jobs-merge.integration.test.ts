import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalyticsJob } from '../../domain/analytics/clv-model.schema.ts';
import { dynamoJobStore } from '../../functions/analytics/analytics.dynamodb.ts';
import { dynamoAnalyticsMergeStore } from '../../functions/analytics/customer-merge.dynamodb.ts';
import { purchaseItem, purchaseKey } from '../../functions/analytics/purchase.keys.ts';
import { customerKey } from '../../functions/customers/customer.keys.ts';
import { uuidIds } from '../../functions/shared/system.ts';
import { freshTable } from '../support/dynamodb.ts';
import { fakeClock } from '../support/fakes.ts';

// The analytics adapters' conditions against DynamoDB Local: a job is taken by one delivery only
// (status and startedAt name the take), and a merge moves a purchase once, adds one deal's two
// shares, and never writes into a target being erased.

let table: Awaited<ReturnType<typeof freshTable>>;
const clock = fakeClock('2026-12-01T10:00:00.000Z');
const db = () => ({ client: table.client, tableName: table.tableName, clock, ids: uuidIds });

beforeAll(async () => {
  table = await freshTable();
});
afterAll(async () => {
  await table?.drop?.();
});

const queued: AnalyticsJob = { jobId: 'job-1', kind: 'clv-fit', status: 'queued', asOf: '2026-11-30', periodUnit: 'day', requestedAt: '2026-12-01T10:00:00.000Z', startedAt: null, finishedAt: null, error: null, counts: null };

describe('the job store', () => {
  it('replaces a job only from the status and startedAt it was read with', async () => {
    const jobs = dynamoJobStore(db());
    await jobs.create(queued, { correlationId: 'it' });
    const running = { ...queued, status: 'running', startedAt: '2026-12-01T10:00:01.000Z' } as const;
    expect(await jobs.replace(queued, running)).toBe(true);
    expect(await jobs.replace(queued, { ...running, startedAt: '2026-12-01T10:00:02.000Z' })).toBe(false);
    const retaken = { ...running, startedAt: '2026-12-01T10:16:00.000Z' };
    expect(await jobs.replace({ ...running, startedAt: '2026-12-01T09:00:00.000Z' }, retaken)).toBe(false);
    expect(await jobs.replace(running, retaken)).toBe(true);
    expect(await jobs.get(queued.jobId)).toEqual(retaken);
  });
});

describe('the merge store', () => {
  const purchase = (customerId: string, interactionId: string, amount: number) => ({ customerId, interactionId, day: '2026-11-02', amount, currency: 'USD' });
  const put = (item: Record<string, unknown>) => table.client.send(new PutCommand({ TableName: table.tableName, Item: item }));
  const get = async (key: Record<string, unknown>) => (await table.client.send(new GetCommand({ TableName: table.tableName, Key: key, ConsistentRead: true }))).Item;

  it('moves a purchase once, adds two shares of one deal, and leaves it in the source when the target is being erased', async () => {
    for (const id of ['src', 'tgt']) await put({ ...customerKey(id), id });
    await put({ ...customerKey('erasing'), id: 'erasing', erasingSince: '2026-12-01T09:00:00.000Z' });
    const store = dynamoAnalyticsMergeStore(db());
    const own = purchase('src', 'i1', 30);
    const share = purchase('src', 'opportunity:o1', 33.34);
    for (const p of [own, share, purchase('tgt', 'opportunity:o1', 33.33)]) await put(purchaseItem(p));

    expect(await store.move(own, 'erasing')).toBe('target-gone');
    expect(await get(purchaseKey(own))).toBeDefined();

    expect(await store.move(own, 'tgt')).toBe('moved');
    expect(await store.move(own, 'tgt')).toBe('gone');
    expect(await store.move(share, 'tgt')).toBe('combined');
    expect(await store.move(share, 'tgt')).toBe('gone');
    expect(await store.purchasesOf('src')).toEqual([]);
    expect((await store.purchasesOf('tgt')).map((p) => [p.interactionId, p.amount])).toEqual([
      ['i1', 30],
      ['opportunity:o1', 66.67],
    ]);
    // The moved item is listed for the fit under the target.
    expect(await get(purchaseKey({ ...own, customerId: 'tgt' }))).toMatchObject({ customerId: 'tgt', gsi1sk: expect.stringContaining('#tgt#i1') });
  });
});
