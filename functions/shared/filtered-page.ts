import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { TABLE } from '#infra/table.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { type Db, type PageQuery, pageCursorShape, queryPage } from './db.ts';

// A page of one index partition with a filter on its items (a partner's leads of one status, say).
// The partition is the key condition, so the filter only narrows what that partition holds: a page
// may come back short, but it never reads nor counts anything outside the partition.

export interface ItemFilter {
  /** A FilterExpression over the names and values below (placeholders `#f…` and `:f…`). */
  readonly expression: string;
  readonly names: Record<string, string>;
  readonly values: Record<string, unknown>;
}

/** Items read per Query round, and rounds per page: a rare filter value answers a short page with a cursor rather than reading a whole partition. */
const READ_BATCH = 100;
const MAX_ROUNDS = 10;

type Values = Record<string, unknown>;

/** queryPage with an optional filter: newest first, one item more than the page to tell the last page. */
export async function queryFilteredPage(
  db: Pick<Db, 'client' | 'tableName'>,
  query: PageQuery & { readonly filter?: ItemFilter | undefined },
  { readBatch = READ_BATCH, maxRounds = MAX_ROUNDS } = {},
): Promise<{ items: Values[]; nextCursor: string | null }> {
  const { filter, ...page } = query;
  if (!filter) return queryPage(db, page);
  const { name, index, partition, itemKey, limit, cursor } = page;
  const partitionKey = index?.partitionKey ?? TABLE.partitionKey;
  const shape = pageCursorShape({ index, partition, itemKey }, { startsWith: '' });
  const keyNames = Object.keys(shape);
  const keyOf = (item: Values) => encodeCursor(name, Object.fromEntries(keyNames.map((n) => [n, String(item[n])])));

  const found: Values[] = [];
  let start: Values | undefined = cursor ? decodeCursor(name, cursor, shape) : undefined;
  for (let round = 0; round < maxRounds && found.length <= limit; round++) {
    const out = await db.client.send(
      new QueryCommand({
        TableName: db.tableName,
        ...(index ? { IndexName: index.name } : {}),
        KeyConditionExpression: '#p = :p',
        FilterExpression: filter.expression,
        ExpressionAttributeNames: { '#p': partitionKey, ...filter.names },
        ExpressionAttributeValues: { ':p': partition, ...filter.values },
        ScanIndexForward: false,
        Limit: readBatch,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    found.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
    if (!start) break;
  }
  if (found.length > limit) return { items: found.slice(0, limit), nextCursor: keyOf(found[limit - 1]!) };
  // Rounds ran out before the page filled: the cursor continues after the last item read.
  return { items: found, nextCursor: start ? keyOf(start) : null };
}
