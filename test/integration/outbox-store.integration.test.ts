import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CustomerCreated } from '../../events/customer-created.event.ts';
import { dynamoOutboxStore } from '../../functions/outbox/outbox.dynamodb-store.ts';
import type { StoredOutboxRecord } from '../../functions/outbox/outbox-store.ts';
import { OUTBOX_PUBLISHED_TTL_SECONDS, outboxPuts } from '../../functions/shared/outbox.ts';
import { freshTable } from '../support/dynamodb.ts';
import { fakeClock, sequentialIds } from '../support/fakes.ts';

// The outbox's publishing state against DynamoDB Local: marks take records off the pending
// listing and start their TTL, a record that is gone is not a failure, and the listing pages.

let table: Awaited<ReturnType<typeof freshTable>>;
beforeAll(async () => {
  table = await freshTable();
});
afterAll(async () => {
  await table?.drop();
});

async function writeOutbox(n: number, at: string, prefix: string): Promise<string[]> {
  const events = Array.from({ length: n }, (_, i) => CustomerCreated.of({ customerId: `${prefix}-${i}`, fields: ['email'] }));
  const puts = outboxPuts(table.tableName, events, { correlationId: 'c' }, { ids: sequentialIds(`${prefix}-ev`), clock: fakeClock(at) });
  for (let i = 0; i < puts.length; i += 25) await table.client.send(new TransactWriteCommand({ TransactItems: puts.slice(i, i + 25) }));
  return puts.map((p) => String((p.Put!.Item as StoredOutboxRecord).pk));
}

async function pending(store: ReturnType<typeof dynamoOutboxStore>, before: string, pageSize: number) {
  const pages: string[][] = [];
  for await (const page of store.pendingBefore(before, pageSize)) pages.push(page.map((r) => r.pk));
  return pages;
}

describe('dynamoOutboxStore', () => {
  let kept: string[] = [];
  it('marks a whole stream batch published: off the pending listing, with its TTL from now; a record that is gone is not a failure', async () => {
    const now = '2025-01-15T10:00:00.000Z';
    const store = dynamoOutboxStore({ client: table.client, tableName: table.tableName, clock: fakeClock(now) });
    const pks = await writeOutbox(100, '2025-01-15T09:00:00.000Z', 'batch');
    kept = await writeOutbox(3, '2025-01-15T09:00:00.000Z', 'kept');
    expect((await pending(store, now, 1000)).flat().sort()).toEqual([...pks, ...kept].sort());

    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const failed = await store.markPublished([...pks, 'OUTBOX#never-written']);
    error.mockRestore();
    expect([...failed]).toEqual([]);

    expect((await pending(store, now, 1000)).flat().sort()).toEqual(kept.sort());
    const items = await table.scanAll();
    const marked = items.filter((i) => pks.includes(String(i.pk)));
    expect(marked).toHaveLength(100);
    for (const item of marked) {
      expect(item).toMatchObject({ publishedAt: now, expiresAt: Date.parse(now) / 1000 + OUTBOX_PUBLISHED_TTL_SECONDS });
      expect(item).not.toHaveProperty('gsi7pk');
    }
    expect(items.some((i) => i.pk === 'OUTBOX#never-written')).toBe(false);
  });

  it('lists only records written before the given time, in pages of at most the page size', async () => {
    const store = dynamoOutboxStore({ client: table.client, tableName: table.tableName, clock: fakeClock('2025-02-01T00:00:00.000Z') });
    const old = await writeOutbox(12, '2025-01-31T22:00:00.000Z', 'old');
    await writeOutbox(4, '2025-01-31T23:50:00.000Z', 'young');
    const pages = await pending(store, '2025-01-31T23:30:00.000Z', 2);
    expect(pages.every((p) => p.length <= 2)).toBe(true);
    // The three records the first test left pending are older still.
    expect(pages.flat().sort()).toEqual([...old, ...kept].sort());
  });
});
