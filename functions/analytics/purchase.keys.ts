import type { AnalyticsPurchase } from '#domain/analytics/analytics-purchase.ts';
import { TABLE } from '#infra/table.ts';
import { customerPartition } from '../customers/customer.keys.ts';

// An analytics purchase: in the customer's partition (erasure deletes the partition, and the
// purchase with it), and listed for the fit in a sparse collection of the by-created-at index,
// spread over PURCHASE_SHARDS partitions so that a busy shop does not write one index partition hot.
//
//   purchase   pk CUSTOMER#<id>   sk ANALYTICS_PURCHASE#<day>#<interactionId>   amount, currency, day, customerId, interactionId
//              gsi1 PURCHASES#<shard 0-9> / <day>#<customerId>#<interactionId>

/** Not `PURCHASE#`: the sales context's purchase claims (`PURCHASE#interaction:<id>`) live in the same partition under that prefix. */
export const PURCHASE_PREFIX = 'ANALYTICS_PURCHASE#';
export const PURCHASE_SHARDS = 10;
const BY_CREATED = TABLE.indexes.byCreatedAt;

/** FNV-1a of the customer id: a customer's purchases share a shard, customers spread evenly. */
export function purchaseShard(customerId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < customerId.length; i++) hash = Math.imul(hash ^ customerId.charCodeAt(i), 0x01000193) >>> 0;
  return hash % PURCHASE_SHARDS;
}

export const purchasesShardPartition = (shard: number) => `PURCHASES#${shard}`;

export const purchaseKey = (p: Pick<AnalyticsPurchase, 'customerId' | 'day' | 'interactionId'>) => ({
  pk: customerPartition(p.customerId),
  sk: `${PURCHASE_PREFIX}${p.day}#${p.interactionId}`,
});

export function purchaseItem(p: AnalyticsPurchase) {
  return {
    ...purchaseKey(p),
    [BY_CREATED.partitionKey]: purchasesShardPartition(purchaseShard(p.customerId)),
    [BY_CREATED.sortKey]: `${p.day}#${p.customerId}#${p.interactionId}`,
    customerId: p.customerId,
    interactionId: p.interactionId,
    day: p.day,
    amount: p.amount,
    currency: p.currency,
  };
}

export function purchaseFromItem(item: Record<string, unknown>): AnalyticsPurchase {
  return {
    customerId: String(item.customerId),
    interactionId: String(item.interactionId),
    day: String(item.day),
    amount: Number(item.amount),
    currency: String(item.currency),
  };
}
