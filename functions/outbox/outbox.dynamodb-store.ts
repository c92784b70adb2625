import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '#domain/shared/ports.ts';
import { OUTBOX_PENDING_INDEX, OUTBOX_PENDING_SHARDS, OUTBOX_PUBLISHED_TTL_SECONDS, outboxKey, outboxPendingPartition } from '../shared/outbox.ts';
import type { OutboxStore, StoredOutboxRecord } from './outbox-store.ts';
import { log } from '../shared/log.ts';

const PENDING = OUTBOX_PENDING_INDEX;
const MARKS_AT_ONCE = 10;

/** The outbox's publishing state: the pending listing (sparse, on the due-time index) and the TTL set at publishing. */
export function dynamoOutboxStore(deps: { client: DynamoDBDocumentClient; tableName: string; clock: Clock }): OutboxStore {
  const { client, tableName, clock } = deps;
  return {
    async markPublished(pks) {
      const now = clock.now();
      const expiresAt = Math.floor(now.getTime() / 1000) + OUTBOX_PUBLISHED_TTL_SECONDS;
      // A stream batch holds up to 100 records: marked a few at a time, not all at once, so that a
      // batch does not open a connection per record (DynamoDB Local refused them under the CDNOW load).
      const results: PromiseSettledResult<unknown>[] = [];
      for (let i = 0; i < pks.length; i += MARKS_AT_ONCE) {
        const slice = pks.slice(i, i + MARKS_AT_ONCE);
        results.push(
          ...(await Promise.allSettled(
            slice.map((pk) =>
              client.send(
                new UpdateCommand({
                  TableName: tableName,
                  Key: outboxKey(pk),
                  UpdateExpression: 'SET publishedAt = :now, expiresAt = :expiresAt REMOVE #listPk, #listSk',
                  // A record that is gone has nothing left to mark (no TTL ran before publishing).
                  ConditionExpression: 'attribute_exists(pk)',
                  ExpressionAttributeNames: { '#listPk': PENDING.partitionKey, '#listSk': PENDING.sortKey },
                  ExpressionAttributeValues: { ':now': now.toISOString(), ':expiresAt': expiresAt },
                }),
              ),
            ),
          )),
        );
      }
      const failed = new Set<string>();
      results.forEach((result, i) => {
        if (result.status === 'fulfilled' || (result.reason as Error).name === 'ConditionalCheckFailedException') return;
        log('error', 'outbox record not marked published', { pk: pks[i], error: String(result.reason) });
        failed.add(pks[i]!);
      });
      return failed;
    },

    async *pendingBefore(before, pageSize) {
      for (let shard = 0; shard < OUTBOX_PENDING_SHARDS; shard++) {
        let start: Record<string, unknown> | undefined;
        do {
          const out = await client.send(
            new QueryCommand({
              TableName: tableName,
              IndexName: PENDING.name,
              KeyConditionExpression: '#pk = :pk AND #sk < :before',
              ExpressionAttributeNames: { '#pk': PENDING.partitionKey, '#sk': PENDING.sortKey },
              ExpressionAttributeValues: { ':pk': outboxPendingPartition(shard), ':before': before },
              Limit: pageSize,
              ...(start ? { ExclusiveStartKey: start } : {}),
            }),
          );
          start = out.LastEvaluatedKey;
          const items = (out.Items ?? []) as StoredOutboxRecord[];
          if (items.length > 0) yield items;
        } while (start);
      }
    },
  };
}
