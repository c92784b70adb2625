import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { SegmentRepository } from '#domain/campaigns/segment.repository.ts';
import type { Segment, Snapshot } from '#domain/campaigns/segment.schema.ts';
import { TABLE } from '#infra/table.ts';
import { ValidationError } from '#domain/shared/errors.ts';
import { decodeCursor, encodeCursor, NOT_OUR_CURSOR } from '../shared/cursor.ts';
import { type Db, NOT_EXISTS, put, queryPage } from '../shared/db.ts';
import { queryAll } from '../shared/dynamo-batch.ts';
import { idempotencyItems, storedResult } from '../shared/idempotency.ts';
import { commit } from '../shared/transaction.ts';
import { ALL_CAMPAIGNS, ALL_SEGMENTS, fromSegmentItem, segmentKey, snapshotExpiry, snapshotKey, snapshotPartition, toSegmentItem } from './campaign.keys.ts';

const BY_CREATED = TABLE.indexes.byCreatedAt;
const PAGE_PREFIX = 'PAGE#';
/** Member pages read per query while filling one listing page (pages hold up to a scan page of ids). */
const PAGES_PER_READ = 10;

const isConditionFailure = (error: unknown) => error instanceof ConditionalCheckFailedException;

export function toSnapshotItem(snapshot: Snapshot): Record<string, unknown> {
  return { ...snapshotKey(snapshot.segmentId, snapshot.id), type: 'Snapshot', ...snapshot, partsDone: 0, expiresAt: snapshotExpiry(snapshot.createdAt) };
}

export function fromSnapshotItem(item: Record<string, unknown>): Snapshot {
  return {
    id: String(item.id),
    segmentId: String(item.segmentId),
    status: item.status as Snapshot['status'],
    count: Number(item.count ?? 0),
    createdAt: String(item.createdAt),
    completedAt: typeof item.completedAt === 'string' ? item.completedAt : null,
  };
}

export function dynamoSegmentRepository(db: Db): SegmentRepository {
  const { client, tableName } = db;

  /** A conditional write with its idempotency record: the first result, or the stored one on a retry. */
  async function createOnce<T>(item: Record<string, unknown>, result: T, context: { idempotency?: Parameters<typeof idempotencyItems>[1] }) {
    const once = context.idempotency ? idempotencyItems(tableName, context.idempotency, result, db.clock.now()) : [];
    const failed = await commit(client, [...once, put(db, item, NOT_EXISTS)]);
    if (!failed) return { result, replayed: false };
    if (context.idempotency && failed.has(0)) {
      const first = await storedResult<T>(client, tableName, context.idempotency);
      if (first) return { result: first, replayed: true };
    }
    throw new Error('a new id collided with an existing item');
  }

  return {
    async create(segment, context) {
      const { result, replayed } = await createOnce(toSegmentItem(segment), segment, context);
      return { segment: result, replayed };
    },

    async get(id) {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: segmentKey(id), ConsistentRead: true }));
      return Item ? fromSegmentItem(Item) : undefined;
    },

    async list({ limit, cursor }) {
      const page = await queryPage(db, {
        name: 'segments',
        index: BY_CREATED,
        partition: ALL_SEGMENTS,
        itemKey: { pk: { startsWith: segmentKey('').pk }, sk: { is: segmentKey('').sk } },
        limit,
        cursor,
      });
      return { items: page.items.map(fromSegmentItem), nextCursor: page.nextCursor };
    },

    async replace(next: Segment, expectedVersion) {
      try {
        await client.send(
          new PutCommand({ TableName: tableName, Item: toSegmentItem(next), ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': expectedVersion } }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },

    async remove(id, expectedVersion) {
      try {
        await client.send(new DeleteCommand({ TableName: tableName, Key: segmentKey(id), ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': expectedVersion } }));
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },

    async campaignsUsing(id) {
      const ids: string[] = [];
      for await (const page of queryAll(client, {
        TableName: tableName,
        IndexName: BY_CREATED.name,
        KeyConditionExpression: '#p = :p',
        FilterExpression: 'audience.segmentId = :id AND NOT (#status IN (:completed, :cancelled))',
        ExpressionAttributeNames: { '#p': BY_CREATED.partitionKey, '#status': 'status' },
        ExpressionAttributeValues: { ':p': ALL_CAMPAIGNS, ':id': id, ':completed': 'completed', ':cancelled': 'cancelled' },
        ProjectionExpression: 'id',
      })) {
        ids.push(...page.map((item) => String(item.id)));
      }
      return ids;
    },

    async createSnapshot(snapshot, context) {
      const { result, replayed } = await createOnce(toSnapshotItem(snapshot), snapshot, context);
      return { snapshot: result, replayed };
    },

    async getSnapshot(segmentId, snapshotId) {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: snapshotKey(segmentId, snapshotId), ConsistentRead: true }));
      return Item ? fromSnapshotItem(Item) : undefined;
    },

    /**
     * Member pages in scan order, flattened: the cursor names the page item and the position in
     * it where the next listing page begins, so a listing page may span scan pages (and skip empty ones).
     */
    async snapshotMembers(snapshotId, { limit, cursor }) {
      const partition = snapshotPartition(snapshotId);
      const name = `snapshot-members:${snapshotId}`;
      let from = { sk: PAGE_PREFIX, offset: 0, inclusive: false };
      if (cursor) {
        const key = decodeCursor(name, cursor, { pk: { is: partition }, sk: { startsWith: PAGE_PREFIX }, at: { startsWith: '' } });
        if (!/^\d{1,6}$/.test(key.at!)) throw new ValidationError(NOT_OUR_CURSOR, [{ path: 'cursor', message: 'is not a cursor this listing issued' }]);
        from = { sk: key.sk!, offset: Number(key.at), inclusive: true };
      }
      const items: { customerId: string }[] = [];
      let nextCursor: string | null = null;
      let startKey: Record<string, unknown> | undefined;
      let first = true;
      while (nextCursor === null) {
        const out = await client.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: from.inclusive ? 'pk = :p AND sk >= :s' : 'pk = :p AND begins_with(sk, :s)',
            ExpressionAttributeValues: { ':p': partition, ':s': from.sk },
            Limit: PAGES_PER_READ,
            ...(startKey ? { ExclusiveStartKey: startKey } : {}),
          }),
        );
        for (const page of out.Items ?? []) {
          const ids = (page.customerIds ?? []) as string[];
          const offset = first && from.inclusive && page.sk === from.sk ? from.offset : 0;
          first = false;
          for (let i = offset; i < ids.length; i++) {
            if (items.length === limit) {
              nextCursor = encodeCursor(name, { pk: partition, sk: String(page.sk), at: String(i) });
              break;
            }
            items.push({ customerId: ids[i]! });
          }
          if (nextCursor) break;
        }
        startKey = out.LastEvaluatedKey;
        if (!startKey) break;
      }
      return { items, nextCursor };
    },
  };
}
