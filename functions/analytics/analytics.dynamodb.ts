import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { JobStore, ModelStore, PurchaseSource, ScoreStore } from '#domain/analytics/clv-fit.use-cases.ts';
import type { CustomerScores } from '#domain/analytics/clv-model.schema.ts';
import { AnalyticsJobRequested } from '#events/analytics-job-requested.event.ts';
import { TABLE } from '#infra/table.ts';
import { type Db, events, NOT_EXISTS } from '../shared/db.ts';
import { queryAll } from '../shared/dynamo-batch.ts';
import type { TransactItem } from '../shared/outbox.ts';
import { commit } from '../shared/transaction.ts';
import { customerPartition } from '../customers/customer.keys.ts';
import { customerCheck } from '../customers/customer-guard.ts';
import { jobItem, jobKey, jobOf, modelItem, modelKey, modelOf, scoresItem, scoresKey, scoresOf } from './analytics.keys.ts';
import { PURCHASE_PREFIX, PURCHASE_SHARDS, purchaseFromItem, purchasesShardPartition } from './purchase.keys.ts';

const BY_CREATED = TABLE.indexes.byCreatedAt;
/** Customers per scores transaction: a guard and a put each, 100 actions. */
const SCORES_PER_TRANSACTION = 50;

/** Every purchase up to asOf: the ten shards of the sparse listing, one after the other, page by page. */
export function dynamoPurchaseSource({ client, tableName }: Pick<Db, 'client' | 'tableName'>): PurchaseSource {
  return {
    async *upTo(asOf) {
      for (let shard = 0; shard < PURCHASE_SHARDS; shard++) {
        const pages = queryAll(client, {
          TableName: tableName,
          IndexName: BY_CREATED.name,
          KeyConditionExpression: '#pk = :pk AND #sk < :end',
          // `$` sorts right after `#`: every `<asOf>#...` key and nothing of the day after.
          ExpressionAttributeValues: { ':pk': purchasesShardPartition(shard), ':end': `${asOf}$` },
          ProjectionExpression: '#customer, #interaction, #day, #amount, #currency',
          ExpressionAttributeNames: { '#pk': BY_CREATED.partitionKey, '#sk': BY_CREATED.sortKey, '#customer': 'customerId', '#interaction': 'interactionId', '#day': 'day', '#amount': 'amount', '#currency': 'currency' },
        });
        for await (const page of pages) yield page.map(purchaseFromItem);
      }
    },
    async ofCustomer(customerId) {
      const found = [];
      for await (const page of queryAll(client, {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': customerPartition(customerId), ':prefix': PURCHASE_PREFIX },
        ConsistentRead: true,
      })) {
        found.push(...page.map(purchaseFromItem));
      }
      return found;
    },
  };
}

export function dynamoModelStore({ client, tableName }: Pick<Db, 'client' | 'tableName'>): ModelStore {
  return {
    async current() {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: modelKey() }));
      return Item ? modelOf(Item) : undefined;
    },
    async save(model) {
      await client.send(new PutCommand({ TableName: tableName, Item: modelItem(model) }));
    },
  };
}

/**
 * Scores go into the person's partition, so each put carries the erasure guard: 50 customers per
 * transaction; when a guard fails (that customer is erased, being erased or merged away), the
 * transaction is retried without them.
 */
export function dynamoScoreStore(db: Pick<Db, 'client' | 'tableName'>): ScoreStore {
  const { client, tableName } = db;
  async function commitGuarded(list: readonly CustomerScores[]): Promise<number> {
    let pending = [...list];
    while (pending.length > 0) {
      const items: TransactItem[] = pending.flatMap((s) => [customerCheck(db, s.customerId), { Put: { TableName: tableName, Item: scoresItem(s) } }]);
      const failed = await commit(client, items);
      if (!failed) return pending.length;
      pending = pending.filter((_, i) => !failed.has(2 * i));
    }
    return 0;
  }
  return {
    async get(customerId) {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: scoresKey(customerId) }));
      return Item ? scoresOf(Item) : undefined;
    },
    async saveAll(list) {
      let written = 0;
      for (let start = 0; start < list.length; start += SCORES_PER_TRANSACTION) written += await commitGuarded(list.slice(start, start + SCORES_PER_TRANSACTION));
      return written;
    },
  };
}

export function dynamoJobStore(db: Db): JobStore {
  const { client, tableName } = db;
  return {
    async create(job, context) {
      const event = AnalyticsJobRequested.of({ jobId: job.jobId, kind: job.kind });
      await commit(client, [{ Put: { TableName: tableName, Item: jobItem(job), ConditionExpression: NOT_EXISTS } }, ...events(db, [event], context)]);
    },
    async get(jobId) {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: jobKey(jobId), ConsistentRead: true }));
      return Item ? jobOf(Item) : undefined;
    },
    async save(job) {
      await client.send(new PutCommand({ TableName: tableName, Item: jobItem(job) }));
    },
    async replace(previous, next) {
      // Status and startedAt together name one take of the job: two deliveries cannot both take it.
      const startedAt = previous.startedAt === null ? 'attribute_type(#data.#startedAt, :null)' : '#data.#startedAt = :startedAt';
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: jobItem(next),
            ConditionExpression: `#data.#status = :status AND ${startedAt}`,
            ExpressionAttributeNames: { '#data': 'data', '#status': 'status', '#startedAt': 'startedAt' },
            ExpressionAttributeValues: { ':status': previous.status, ...(previous.startedAt === null ? { ':null': 'NULL' } : { ':startedAt': previous.startedAt }) },
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
    },
  };
}
