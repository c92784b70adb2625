import type { PurchaseFeedStore } from '#domain/analytics/purchase-feed.use-cases.ts';
import { type Db, NOT_EXISTS } from '../shared/db.ts';
import { commit } from '../shared/transaction.ts';
import { customerCheck } from '../customers/customer-guard.ts';
import { purchaseItem } from './purchase.keys.ts';

/**
 * The purchase item, put once (its key is the interaction's), with the erasure guard in the same
 * transaction: a purchase never lands in the partition of a customer being erased, erased or merged away.
 */
export function dynamoPurchaseFeedStore(db: Pick<Db, 'client' | 'tableName'>): PurchaseFeedStore {
  return {
    async record(purchase) {
      const failed = await commit(db.client, [customerCheck(db, purchase.customerId), { Put: { TableName: db.tableName, Item: purchaseItem(purchase), ConditionExpression: NOT_EXISTS } }]);
      if (!failed) return 'recorded';
      return failed.has(0) ? 'customer-gone' : 'duplicate';
    },
  };
}
