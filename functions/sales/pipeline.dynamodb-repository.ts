import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { PipelineRepository } from '#domain/sales/pipeline.ports.ts';
import { DEFAULT_PIPELINE } from '#domain/sales/pipeline-stages.ts';
import { type Db, put } from '../shared/db.ts';
import { queryAll } from '../shared/dynamo-batch.ts';
import { commit } from '../shared/transaction.ts';
import { bucketPartition, fromStagesItem, monthAndCurrency, monthSortKey, OPEN_COUNTS_KEY, openAttribute, STAGES_KEY, toStagesItem } from './pipeline.keys.ts';

/** The pipeline part's table adapter (items: pipeline.keys.ts). Counters are written by pipeline-counters.ts, in the opportunities' transactions. */
export function dynamoPipelineRepository(db: Db): PipelineRepository {
  const { client, tableName } = db;
  const read = async (Key: Record<string, string>) => (await client.send(new GetCommand({ TableName: tableName, Key, ConsistentRead: true }))).Item;

  return {
    async stages() {
      const item = await read(STAGES_KEY);
      return item ? fromStagesItem(item) : DEFAULT_PIPELINE;
    },

    async openCounts() {
      const item = await read(OPEN_COUNTS_KEY);
      const prefix = openAttribute('');
      return new Map(Object.entries(item ?? {}).flatMap(([name, value]) => (name.startsWith(prefix) ? [[name.slice(prefix.length), Number(value)] as const] : [])));
    },

    async saveStages(next, previousVersion, removed) {
      // The removed stages' counts must still be 0 when the configuration commits: an opportunity
      // entering one of them meanwhile makes this fail (and its own write checks the stage is configured).
      const names = Object.fromEntries(removed.map((stage, i) => [`#r${i}`, openAttribute(stage)]));
      const failed = await commit(client, [
        put(db, toStagesItem(next), previousVersion === DEFAULT_PIPELINE.version ? 'attribute_not_exists(pk)' : 'version = :v', previousVersion === DEFAULT_PIPELINE.version ? undefined : { ':v': previousVersion }),
        ...(removed.length > 0
          ? [
              {
                ConditionCheck: {
                  TableName: tableName,
                  Key: OPEN_COUNTS_KEY,
                  ConditionExpression: removed.map((_, i) => `(attribute_not_exists(#r${i}) OR #r${i} = :zero)`).join(' AND '),
                  ExpressionAttributeNames: names,
                  ExpressionAttributeValues: { ':zero': 0 },
                },
              },
            ]
          : []),
      ]);
      if (!failed) return 'saved';
      return failed.has(0) ? 'version-moved' : 'stage-in-use';
    },

    async buckets(scope, from, to) {
      const out: { month: string; currency: string; figures: Map<string, bigint> }[] = [];
      // One Query (more pages only past 1 MB): the scope's buckets sort by month, then currency.
      for await (const page of queryAll(client, {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': bucketPartition(scope), ':from': monthSortKey(from), ':to': `${monthSortKey(to)}#~` },
        ConsistentRead: true,
      })) {
        for (const item of page) {
          const figures = new Map<string, bigint>();
          for (const [name, value] of Object.entries(item)) if (typeof value === 'number' || typeof value === 'bigint') figures.set(name, BigInt(value));
          out.push({ ...monthAndCurrency(String(item.sk)), figures });
        }
      }
      return out;
    },
  };
}
