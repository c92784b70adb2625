import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { AudienceSink } from '#domain/campaigns/campaign.ports.ts';
import { type Db, NOT_EXISTS, put } from '../shared/db.ts';
import type { TransactItem } from '../shared/outbox.ts';
import { commit } from '../shared/transaction.ts';
import { snapshotExpiry, snapshotKey, snapshotPageKey } from './campaign.keys.ts';

// The snapshot's share of a durable scan: each scanned page's members become one page item, and
// the snapshot counts them, in one transaction whose page put is conditional: a page that comes
// again after a crash finds its item and adds nothing. The last page of every part counts the
// part done; when all are, the snapshot is ready.

export function snapshotSink(db: Db): AudienceSink {
  const { client, tableName } = db;
  return {
    async accept(run, page) {
      const key = snapshotKey(run.segmentId, run.targetId);
      const items: TransactItem[] = [
        put(
          db,
          { ...snapshotPageKey(run.targetId, page.part, page.page), type: 'SnapshotPage', customerIds: [...page.customerIds], last: page.last, expiresAt: snapshotExpiry(db.clock.now()) },
          NOT_EXISTS,
        ),
        {
          Update: {
            TableName: tableName,
            Key: key,
            UpdateExpression: page.last ? 'ADD #count :n, partsDone :one' : 'ADD #count :n',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: { '#count': 'count' },
            ExpressionAttributeValues: { ':n': page.customerIds.length, ...(page.last ? { ':one': 1 } : {}) },
          },
        },
      ];
      const failed = await commit(client, items);
      // The snapshot is gone (its segment was deleted): nothing to keep.
      if (failed?.has(1) && !failed.has(0)) return;
      if (!page.last) return;
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: key,
            UpdateExpression: 'SET #status = :ready, completedAt = :now',
            ConditionExpression: '#status = :building AND partsDone >= :parts',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':ready': 'ready', ':building': 'building', ':now': db.clock.now().toISOString(), ':parts': run.parts },
          }),
        );
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    },
  };
}
