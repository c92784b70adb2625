import type { SegmentReads } from '#domain/sales/product.ports.ts';
import { TABLE } from '#infra/table.ts';
import { ALL_SEGMENTS, fromSegmentItem } from '../campaigns/campaign.keys.ts';
import { customerFactsReader, isMemberProfile } from '../campaigns/customer-facts.ts';
import { customerKey } from '../customers/customer.keys.ts';
import type { Db } from '../shared/db.ts';
import { batchGet, queryAll } from '../shared/dynamo-batch.ts';
import { segmentSalesPartition } from './product.keys.ts';

// The segments the recommender reads: definitions from the campaigns context's segment items, the
// facts its rules are evaluated against through the campaigns context's own reader (profile,
// the consent states and case counts the rules name), and the per-segment sales counters the
// purchases consumer keeps (product.keys.ts).

const BY_CREATED = TABLE.indexes.byCreatedAt;

export function dynamoSegmentReads(db: Pick<Db, 'client' | 'tableName' | 'clock'>): SegmentReads {
  const { client, tableName } = db;
  const facts = customerFactsReader(db);

  return {
    async segments() {
      const found = [];
      for await (const page of queryAll(client, {
        TableName: tableName,
        IndexName: BY_CREATED.name,
        KeyConditionExpression: '#p = :p',
        ExpressionAttributeNames: { '#p': BY_CREATED.partitionKey },
        ExpressionAttributeValues: { ':p': ALL_SEGMENTS },
      })) {
        found.push(...page.map(fromSegmentItem).map(({ id, rule }) => ({ id, rule })));
      }
      return found;
    },

    /** One BatchGetItem of the profiles (100 a request), then what the rules need beside them. */
    async facts(customerIds, needs, now) {
      const profiles = (await batchGet(client, tableName, [...new Set(customerIds)].map(customerKey))).filter(isMemberProfile);
      return profiles.length ? facts.forProfiles(profiles, needs, now) : [];
    },

    /** One Query per segment (its partition holds one small item per sku sold to members). */
    async sales(segmentIds) {
      const bySegment = new Map<string, Map<string, number>>();
      await Promise.all(
        [...new Set(segmentIds)].map(async (segmentId) => {
          const counts = new Map<string, number>();
          for await (const page of queryAll(client, {
            TableName: tableName,
            KeyConditionExpression: 'pk = :p',
            ExpressionAttributeValues: { ':p': segmentSalesPartition(segmentId) },
            ProjectionExpression: 'sku, purchases',
          })) {
            for (const item of page) counts.set(String(item.sku), Number(item.purchases ?? 0));
          }
          bySegment.set(segmentId, counts);
        }),
      );
      return bySegment;
    },
  };
}
