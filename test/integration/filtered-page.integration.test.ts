import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partnerListingFilter } from '../../functions/sales/partner.dynamodb.ts';
import { queryFilteredPage } from '../../functions/shared/filtered-page.ts';
import { TABLE } from '../../infra/table.ts';
import { freshTable } from '../support/dynamodb.ts';

// A filtered page of one index partition against DynamoDB Local (a partner's leads of one status):
// pages hold only matching items of the partition, newest first; walking the cursors yields each
// match exactly once, also when the read rounds run out before a page fills (a short page with a cursor).

let table: Awaited<ReturnType<typeof freshTable>>;
const INDEX = TABLE.indexes.byPriority;
const PARTITION = 'LEAD_PARTNER#p-1';
const ITEM_KEY = { pk: { startsWith: 'LEAD#' }, sk: { is: 'LEAD' } } as const;

/** 30 leads of partner p-1 (every third `new`), and 10 `new` ones of partner p-2 that must never show. */
beforeAll(async () => {
  table = await freshTable();
  const put = (partner: string, n: number, status: string) =>
    table.client.send(
      new PutCommand({
        TableName: table.tableName,
        Item: { pk: `LEAD#${partner}-${n}`, sk: 'LEAD', [INDEX.partitionKey]: `LEAD_PARTNER#${partner}`, [INDEX.sortKey]: `2026-01-01T00:00:${String(n).padStart(2, '0')}.000Z#${n}`, data: { id: `${partner}-${n}`, status } },
      }),
    );
  for (let n = 0; n < 30; n++) await put('p-1', n, n % 3 === 0 ? 'new' : 'working');
  for (let n = 0; n < 10; n++) await put('p-2', n, 'new');
});
afterAll(async () => {
  await table?.drop();
});

async function walk(limit: number, options?: { readBatch: number; maxRounds: number }) {
  const pages: string[][] = [];
  let cursor: string | undefined;
  do {
    const page = await queryFilteredPage(
      table,
      { name: 'leads:new::p-1', index: INDEX, partition: PARTITION, itemKey: ITEM_KEY, limit, cursor, filter: partnerListingFilter({ status: 'new', ownerId: undefined }) },
      options,
    );
    pages.push(page.items.map((i) => (i.data as { id: string }).id));
    cursor = page.nextCursor ?? undefined;
  } while (cursor && pages.length < 50);
  return pages;
}

const NEW_OF_P1 = [27, 24, 21, 18, 15, 12, 9, 6, 3, 0].map((n) => `p-1-${n}`);

describe('queryFilteredPage', () => {
  it('pages the matching items of the partition only, newest first, each once', async () => {
    const pages = await walk(4);
    expect(pages).toEqual([NEW_OF_P1.slice(0, 4), NEW_OF_P1.slice(4, 8), NEW_OF_P1.slice(8)]);
  });

  it('answers a short page with a cursor when the read rounds run out, and loses nothing across them', async () => {
    const pages = await walk(4, { readBatch: 2, maxRounds: 2 });
    expect(pages.some((p) => p.length < 4 && p !== pages.at(-1))).toBe(true);
    expect(pages.flat()).toEqual(NEW_OF_P1);
  });

  it('without a filter is the plain page of the partition', async () => {
    const page = await queryFilteredPage(table, { name: 'leads:::p-1', index: INDEX, partition: PARTITION, itemKey: ITEM_KEY, limit: 3 });
    expect(page.items.map((i) => (i.data as { id: string }).id)).toEqual(['p-1-29', 'p-1-28', 'p-1-27']);
    expect(page.nextCursor).toEqual(expect.any(String));
  });
});
