import type { ChannelCounts, InteractionMixSource, SegmentationStore } from '#domain/analytics/customer-segments.ts';
import type { Segmentation } from '#domain/analytics/segmentation.schema.ts';
import { customerKey } from '../customers/customer.keys.ts';
import type { Db } from '../shared/db.ts';
import { batchGet } from '../shared/dynamo-batch.ts';
import { commit } from '../shared/transaction.ts';
import { clustersKey, rfmKey } from './analytics.keys.ts';

// The clusters' interaction mix from the customers' profiles (stats.byChannel), and the fit's
// segmentation: its clusters and its RFM boundaries, two items written in one transaction.

/** Profiles by key, 100 per BatchGetItem; an erased, merged-away or being-erased customer has no mix. */
export function dynamoInteractionMix({ client, tableName }: Pick<Db, 'client' | 'tableName'>): InteractionMixSource {
  return {
    async channelCounts(customerIds) {
      const items = await batchGet(client, tableName, customerIds.map(customerKey));
      const found = new Map<string, ChannelCounts>();
      for (const item of items) {
        if (item.mergedInto !== undefined || item.erasingSince !== undefined) continue;
        const stats = item.stats as { byChannel?: ChannelCounts } | undefined;
        found.set(String(item.id), stats?.byChannel ?? {});
      }
      return found;
    },
  };
}

export function dynamoSegmentationStore({ client, tableName }: Pick<Db, 'client' | 'tableName'>): SegmentationStore {
  return {
    async current() {
      const items = await batchGet(client, tableName, [clustersKey(), rfmKey()]);
      const clusters = items.find((i) => i.sk === clustersKey().sk)?.data as Omit<Segmentation, 'rfm'> | undefined;
      const rfm = items.find((i) => i.sk === rfmKey().sk)?.data as Pick<Segmentation, 'rfm' | 'jobId'> | undefined;
      if (!clusters || !rfm || rfm.jobId !== clusters.jobId) return undefined;
      return { ...clusters, rfm: rfm.rfm };
    },
    async save(segmentation) {
      const { rfm, ...clusters } = segmentation;
      await commit(client, [
        { Put: { TableName: tableName, Item: { ...clustersKey(), data: clusters } } },
        { Put: { TableName: tableName, Item: { ...rfmKey(), data: { asOf: segmentation.asOf, jobId: segmentation.jobId, fittedAt: segmentation.fittedAt, rfm } } } },
      ]);
    },
  };
}
