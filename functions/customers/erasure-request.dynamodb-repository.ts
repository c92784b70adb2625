import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { ErasureRequestRepository } from '#domain/customers/erasure-request.repository.ts';
import type { ErasureRequest } from '#domain/customers/me.schema.ts';
import { ConcurrentUpdateError } from '#domain/shared/errors.ts';
import { type Db, events, queryPage } from '../shared/db.ts';
import type { TransactItem } from '../shared/outbox.ts';
import { commit } from '../shared/transaction.ts';
import { customerCheck, refusalFor } from './customer-guard.ts';
import { erasureRequestKey, fromErasureRequestItem, PENDING_LISTING, toErasureRequestItem } from './erasure-request.keys.ts';

/** The ErasureRequestRepository port on the single table (see erasure-request.keys.ts). */
export function dynamoErasureRequests(db: Db): ErasureRequestRepository {
  const { client, tableName } = db;

  /** Puts `next` if the stored request is still `previous` (status and requestedAt name it). */
  function putIfStill(previous: ErasureRequest | undefined, next: ErasureRequest): TransactItem {
    const still = previous
      ? { ConditionExpression: '#status = :status AND requestedAt = :requestedAt', ExpressionAttributeNames: { '#status': 'status' }, ExpressionAttributeValues: { ':status': previous.status, ':requestedAt': previous.requestedAt } }
      : { ConditionExpression: 'attribute_not_exists(pk)' };
    return { Put: { TableName: tableName, Item: toErasureRequestItem(next), ...still } };
  }

  return {
    async get(customerId) {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: erasureRequestKey(customerId), ConsistentRead: true }));
      return Item ? fromErasureRequestItem(Item) : undefined;
    },

    async save(previous, next, list, context) {
      // The guard first: a person being erased (or gone) is an answer, not a race to retry.
      const failed = await commit(client, [customerCheck(db, next.customerId), putIfStill(previous, next), ...events(db, list, context)]);
      if (!failed) return;
      if (failed.has(0)) throw await refusalFor(db, next.customerId);
      throw new ConcurrentUpdateError();
    },

    async begin(request, next) {
      // No guard: this writes nothing about the person, and a person erased meanwhile fails the condition anyway.
      if (await commit(client, [putIfStill(request, next)])) throw new ConcurrentUpdateError();
    },

    async listPending({ limit, cursor }) {
      const page = await queryPage(db, { name: 'erasure-requests', ...PENDING_LISTING, limit, cursor, ascending: true });
      return { items: page.items.map(fromErasureRequestItem), nextCursor: page.nextCursor };
    },
  };
}
