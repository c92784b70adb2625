import type { Opportunity } from '#domain/sales/opportunity.schema.ts';
import { pipelineDeltas } from '#domain/sales/pipeline-counters.ts';
import { DEFAULT_PIPELINE } from '#domain/sales/pipeline-stages.ts';
import type { TransactItem } from '../shared/outbox.ts';
import { bucketKey, OPEN_COUNTS_KEY, openAttribute, STAGES_KEY } from './pipeline.keys.ts';

/**
 * The pipeline's part of EVERY transaction that writes an opportunity (create, patch, lead
 * conversion): pass the opportunity as it was (undefined when new) and as it will be.
 *
 * - When the opportunity enters an open stage, the FIRST item is a ConditionCheck that the stage is
 *   still configured (the default pipeline's stages while none is saved): a ConditionalCheckFailed
 *   on it means 422 unknown-stage. No other item has a condition.
 * - Then one ADD per touched month bucket (the figures move from the old bucket to the new one, so
 *   the counters equal a recount), and one ADD on the open-per-stage counts (what PUT
 *   /pipeline/stages checks before it removes a stage).
 * Pure: it builds the items, the caller commits them with its own.
 */
export function pipelineCounterUpdates(tableName: string, previous: Opportunity | undefined, next: Opportunity): TransactItem[] {
  const deltas = pipelineDeltas(previous, next);
  const items: TransactItem[] = [];
  if (deltas.enters !== undefined) {
    const isDefault = DEFAULT_PIPELINE.stages.some((s) => s.id === deltas.enters);
    items.push({
      ConditionCheck: {
        TableName: tableName,
        Key: STAGES_KEY,
        ConditionExpression: isDefault ? 'attribute_not_exists(pk) OR contains(openIds, :stage)' : 'contains(openIds, :stage)',
        ExpressionAttributeValues: { ':stage': deltas.enters },
      },
    });
  }
  for (const { key, figures } of deltas.buckets) items.push(adds(tableName, bucketKey(key), [...figures]));
  if (deltas.open.size > 0) items.push(adds(tableName, OPEN_COUNTS_KEY, [...deltas.open].map(([stage, by]) => [openAttribute(stage), by])));
  return items;
}

function adds(TableName: string, Key: Record<string, string>, fields: readonly (readonly [string, bigint | number])[]): TransactItem {
  return {
    Update: {
      TableName,
      Key,
      UpdateExpression: `ADD ${fields.map((_, i) => `#f${i} :v${i}`).join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(fields.map(([name], i) => [`#f${i}`, name])),
      ExpressionAttributeValues: Object.fromEntries(fields.map(([, by], i) => [`:v${i}`, by])),
    },
  };
}
