import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Interaction } from '#domain/customers/interaction.schema.ts';
import type { AccountTimelineReader } from '#domain/sales/account.ports.ts';
import { activityTimelineEntry, opportunityTimelineEntry } from '#domain/sales/sales-timeline.ts';
import { mergeNewestFirst, type TimelineRun } from '#domain/sales/timeline-merge.ts';
import { TABLE } from '#infra/table.ts';
import { customerPartition, fromInteractionItem, TIMELINE_PREFIX } from '../customers/customer.keys.ts';
import { decodeCursor, encodeCursor } from '../shared/cursor.ts';
import type { Db } from '../shared/db.ts';
import { accountActivitiesPartition, fromActivityItem } from './activity.keys.ts';
import { accountPartition as opportunitiesPartition, fromOpportunityItem } from './opportunity.keys.ts';

const keyOf = (entry: Interaction) => `${TIMELINE_PREFIX}${entry.occurredAt}#${entry.id}`;
/** Opportunities and activities of an account share gsi5 (different partitions), sorted `<createdAt>#<id>`. */
const BY_ACCOUNT = TABLE.indexes.byCustomer;

/**
 * An account's timeline: one Query per contact's timeline, one of the account's opportunities and
 * one of its activities (all in parallel, each at most `limit` entries from the page's resume
 * point, the reader's hidden kinds left out), merged newest first. Every source sorts by the same
 * key, `TL#<time>#<id>` on a timeline and `<createdAt>#<id>` on gsi5 (an opportunity's and an
 * activity's entry time is its createdAt), so the cursor is the one key the page ended at and every
 * source resumes after it; it is bound to the account and the reader's hidden kinds.
 */
export function dynamoAccountTimeline({ client, tableName }: Pick<Db, 'client' | 'tableName'>): AccountTimelineReader {
  async function contactRun(customerId: string, limit: number, after: string | undefined, hiddenKinds: readonly string[]): Promise<TimelineRun<Interaction>> {
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
  }

  /** A gsi5 partition newest first, strictly older than the resume key (its sort key is the timeline key without `TL#`). */
  async function indexRun(partition: string, toEntry: (item: Record<string, unknown>) => Interaction, limit: number, after: string | undefined): Promise<TimelineRun<Interaction>> {
    // Nothing sorts before the bare prefix (and DynamoDB takes no empty key value).
    if (after === TIMELINE_PREFIX) return { items: [], stoppedAt: null };
    const out = await client.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: BY_ACCOUNT.name,
        KeyConditionExpression: after ? '#p = :p AND #s < :after' : '#p = :p',
        ExpressionAttributeNames: { '#p': BY_ACCOUNT.partitionKey, ...(after ? { '#s': BY_ACCOUNT.sortKey } : {}) },
        ExpressionAttributeValues: { ':p': partition, ...(after ? { ':after': after.slice(TIMELINE_PREFIX.length) } : {}) },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    const last = out.LastEvaluatedKey?.[BY_ACCOUNT.sortKey];
    return { items: (out.Items ?? []).map(toEntry), stoppedAt: last === undefined ? null : `${TIMELINE_PREFIX}${String(last)}` };
  }

  return {
    async page({ accountId, customerIds, limit, cursor, hiddenKinds }) {
      const name = `account-timeline:${accountId}:${[...hiddenKinds].sort().join(',')}`;
      const after = cursor ? decodeCursor(name, cursor, { sk: { startsWith: TIMELINE_PREFIX } }).sk : undefined;
      const runs = await Promise.all([
        ...customerIds.map((customerId) => contactRun(customerId, limit, after, hiddenKinds)),
        ...(hiddenKinds.includes('opportunity') ? [] : [indexRun(opportunitiesPartition(accountId), (item) => opportunityTimelineEntry(fromOpportunityItem(item)), limit, after)]),
        ...(hiddenKinds.includes('activity') ? [] : [indexRun(accountActivitiesPartition(accountId), (item) => activityTimelineEntry(fromActivityItem(item)), limit, after)]),
      ]);
      const { items, resumeAfter } = mergeNewestFirst(runs, keyOf, limit);
      return { items, nextCursor: resumeAfter ? encodeCursor(name, { sk: resumeAfter }) : null };
    },
  };
}
