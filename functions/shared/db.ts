import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DomainEvent } from '#events/define-event.ts';
import type { Clock, CommandContext, IdGenerator } from '#domain/shared/ports.ts';
import { type IndexDefinition, TABLE } from '#infra/table.ts';
import { type CursorKeyShape, decodeCursor, encodeCursor, type KeyRule } from './cursor.ts';
import { outboxPuts, type TransactItem } from './outbox.ts';

/** What every part of the customers adapter needs: the table and the ports for outbox ids. */
export interface Db {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly ids: IdGenerator;
  readonly clock: Clock;
}

type Values = Record<string, unknown>;

export const NOT_EXISTS = 'attribute_not_exists(pk)';
/** A profile that may still be written: not merged away, not being erased. */
export const WRITABLE = 'attribute_exists(pk) AND attribute_not_exists(mergedInto) AND attribute_not_exists(erasingSince)';

export function put(db: Db, Item: Values, ConditionExpression?: string, values?: Values): TransactItem {
  return {
    Put: {
      TableName: db.tableName,
      Item,
      ...(ConditionExpression ? { ConditionExpression } : {}),
      ...(values ? { ExpressionAttributeValues: values } : {}),
    },
  };
}

export function del(db: Db, Key: Values, ConditionExpression?: string, values?: Values): TransactItem {
  return {
    Delete: {
      TableName: db.tableName,
      Key,
      ...(ConditionExpression ? { ConditionExpression } : {}),
      ...(values ? { ExpressionAttributeValues: values } : {}),
    },
  };
}

/** UpdateItem that SETs the given attributes (undefined or null values are REMOVEd). */
export function update(db: Db, Key: Values, set: Values, condition?: { expression: string; values?: Values }): TransactItem {
  const names: Record<string, string> = {};
  const values: Values = { ...condition?.values };
  const sets: string[] = [];
  const removes: string[] = [];
  Object.entries(set).forEach(([name, value], i) => {
    names[`#a${i}`] = name;
    if (value === undefined || value === null) removes.push(`#a${i}`);
    else {
      values[`:v${i}`] = value;
      sets.push(`#a${i} = :v${i}`);
    }
  });
  const expression = [sets.length ? `SET ${sets.join(', ')}` : '', removes.length ? `REMOVE ${removes.join(', ')}` : ''].filter(Boolean).join(' ');
  return {
    Update: {
      TableName: db.tableName,
      Key,
      UpdateExpression: expression,
      ExpressionAttributeNames: names,
      ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
      ...(condition ? { ConditionExpression: condition.expression } : {}),
    },
  };
}

export const events = (db: Db, list: readonly DomainEvent[], context: CommandContext) => outboxPuts(db.tableName, list, context, db);

export interface PageQuery {
  /** Names the listing in its cursors, so a cursor cannot be replayed against another listing. */
  readonly name: string;
  /** undefined: the table itself. */
  readonly index?: IndexDefinition;
  readonly partition: string;
  /** Only items whose sort key starts with this. */
  readonly sortPrefix?: string;
  /** Only items whose sort key sorts before this (exclusive); not with sortPrefix. */
  readonly sortBefore?: string;
  /** For an index: the table key of the items it lists (a cursor must name one of them). */
  readonly itemKey?: { readonly pk: KeyRule; readonly sk: KeyRule };
  readonly limit: number;
  readonly cursor?: string | undefined;
  readonly consistentRead?: boolean;
  /** Lowest sort key first (a due-time queue: soonest first); newest first when absent. */
  readonly ascending?: boolean;
}

/**
 * The keys a page's cursor holds and the rule each must keep: on an index the item's own table keys,
 * the partition (exactly), and the sort key (`sortRule`). A cursor is refused for any other listing.
 */
export function pageCursorShape({ index, partition, itemKey }: Pick<PageQuery, 'index' | 'partition' | 'itemKey'>, sortRule: KeyRule): CursorKeyShape {
  const anything: KeyRule = { startsWith: '' };
  return {
    ...(index ? { [TABLE.partitionKey]: itemKey?.pk ?? anything, [TABLE.sortKey]: itemKey?.sk ?? anything } : {}),
    [index?.partitionKey ?? TABLE.partitionKey]: { is: partition },
    [index?.sortKey ?? TABLE.sortKey]: sortRule,
  };
}

/**
 * One page of a partition, newest (highest sort key) first unless `ascending`. It asks for one item more than the
 * page holds, so the last page says `nextCursor: null`; the cursor carries the last item's keys and
 * is refused for any other listing, partition or sort key prefix.
 */
export async function queryPage(
  { client, tableName }: Pick<Db, 'client' | 'tableName'>,
  { name, index, partition, sortPrefix, sortBefore, itemKey, limit, cursor, consistentRead, ascending }: PageQuery,
): Promise<{ items: Values[]; nextCursor: string | null }> {
  const partitionKey = index?.partitionKey ?? TABLE.partitionKey;
  const sortKey = index?.sortKey ?? TABLE.sortKey;
  const shape = pageCursorShape({ index, partition, itemKey }, sortBefore !== undefined ? { below: sortBefore } : { startsWith: sortPrefix ?? '' });
  const sortCondition = sortPrefix ? ' AND begins_with(#s, :s)' : sortBefore !== undefined ? ' AND #s < :s' : '';
  const keyNames = Object.keys(shape);
  const out = await client.send(
    new QueryCommand({
      TableName: tableName,
      ...(index ? { IndexName: index.name } : {}),
      KeyConditionExpression: `#p = :p${sortCondition}`,
      ExpressionAttributeNames: { '#p': partitionKey, ...(sortCondition ? { '#s': sortKey } : {}) },
      ExpressionAttributeValues: { ':p': partition, ...(sortCondition ? { ':s': sortPrefix || sortBefore } : {}) },
      ScanIndexForward: ascending === true,
      ...(consistentRead ? { ConsistentRead: true } : {}),
      Limit: limit + 1,
      ...(cursor ? { ExclusiveStartKey: decodeCursor(name, cursor, shape) } : {}),
    }),
  );
  const items = (out.Items ?? []).slice(0, limit);
  const last = items.at(-1);
  const more = (out.Items?.length ?? 0) > limit;
  return { items, nextCursor: more && last ? encodeCursor(name, Object.fromEntries(keyNames.map((n) => [n, String(last[n])]))) : null };
}
