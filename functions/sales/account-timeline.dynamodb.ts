import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Interaction } from '#domain/customers/interaction.schema.ts';
import type { AccountTimelineReader } from '#domain/sales/account.ports.ts';
import { mergeNewestFirst } from '#domain/sales/timeline-merge.ts';
import { customerPartition, fromInteractionItem, TIMELINE_PREFIX } from '../customers/customer.keys.ts';
import { decodeCursor, encodeCursor } from '../shared/cursor.ts';
import type { Db } from '../shared/db.ts';

const keyOf = (entry: Interaction) => `${TIMELINE_PREFIX}${entry.occurredAt}#${entry.id}`;

/**
 * An account's timeline: one Query per contact (in parallel, each at most `limit` entries from the
 * page's resume point, the reader's hidden kinds filtered out), merged newest first. The cursor is
 * the one sort key the page ended at (every contact resumes after it), bound to the account.
 */
export function dynamoAccountTimeline({ client, tableName }: Pick<Db, 'client' | 'tableName'>): AccountTimelineReader {
  return {
    async page({ accountId, customerIds, limit, cursor, hiddenKinds }) {
      const name = `account-timeline:${accountId}:${[...hiddenKinds].sort().join(',')}`;
      const after = cursor ? decodeCursor(name, cursor, { sk: { startsWith: TIMELINE_PREFIX } }).sk : undefined;
      const runs = await Promise.all(
        customerIds.map(async (customerId) => {
          const values: Record<string, unknown> = { ':pk': customerPartition(customerId), ':tl': TIMELINE_PREFIX };
          hiddenKinds.forEach((kind, i) => (values[`:hidden${i}`] = kind));
          const out = await client.send(
            new QueryCommand({
              TableName: tableName,
              KeyConditionExpression: 'pk = :pk AND begins_with(sk, :tl)',
              ...(hiddenKinds.length ? { FilterExpression: `NOT (#kind IN (${hiddenKinds.map((_, i) => `:hidden${i}`).join(', ')}))`, ExpressionAttributeNames: { '#kind': 'kind' } } : {}),
              ExpressionAttributeValues: values,
              ScanIndexForward: false,
              Limit: limit,
              ...(after ? { ExclusiveStartKey: { pk: customerPartition(customerId), sk: after } } : {}),
            }),
          );
          return { items: (out.Items ?? []).map(fromInteractionItem), stoppedAt: out.LastEvaluatedKey ? String(out.LastEvaluatedKey.sk) : null };
        }),
      );
      const { items, resumeAfter } = mergeNewestFirst(runs, keyOf, limit);
      return { items, nextCursor: resumeAfter ? encodeCursor(name, { sk: resumeAfter }) : null };
    },
  };
}
