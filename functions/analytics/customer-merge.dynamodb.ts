import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { ConcurrentUpdateError } from '#domain/shared/errors.ts';
import type { AnalyticsMergeStore } from '#domain/analytics/customer-merge.use-cases.ts';
import { type Db, del, NOT_EXISTS, put } from '../shared/db.ts';
import { commit } from '../shared/transaction.ts';
import { customerCheck } from '../customers/customer-guard.ts';
import { dynamoPurchaseSource } from './analytics.dynamodb.ts';
import { scoresKey } from './analytics.keys.ts';
import { purchaseFromItem, purchaseItem, purchaseKey } from './purchase.keys.ts';

// The analytics items a merge moves, both in the people's own partitions: purchases
// (CUSTOMER#<id> / ANALYTICS_PURCHASE#..., their gsi1 listing follows the item) and scores
// (CUSTOMER#<id> / SCORES, deleted). Every write into the target's partition carries the erasure guard.

const EXISTS = 'attribute_exists(pk)';
/** Sums of shares in cents, as the feed keeps amounts. */
const cents = (value: number) => Math.round(value * 100) / 100;

export function dynamoAnalyticsMergeStore(db: Db): AnalyticsMergeStore {
  const { client, tableName } = db;
  const purchases = dynamoPurchaseSource(db);

  return {
    purchasesOf: (customerId) => purchases.ofCustomer(customerId),

    async move(purchase, targetId) {
      const moved = { ...purchase, customerId: targetId };
      const failed = await commit(client, [customerCheck(db, targetId), put(db, purchaseItem(moved), NOT_EXISTS), del(db, purchaseKey(purchase), EXISTS)]);
      if (!failed) return 'moved';
      if (failed.has(0)) return 'target-gone';
      if (failed.has(2)) return 'gone';
      // The target has this purchase too: both were contacts of one won opportunity, each with a
      // share; one person now, so the target holds the sum (conditional on the amount it read).
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: purchaseKey(moved), ConsistentRead: true }));
      const held = Item ? purchaseFromItem(Item) : undefined;
      if (!held) throw new ConcurrentUpdateError();
      if (held.currency !== purchase.currency) {
        // Not a share of the same deal (a won opportunity's currency is final): the target's stays, the source's goes.
        await commit(client, [del(db, purchaseKey(purchase))]);
        return 'gone';
      }
      const combined = await commit(client, [
        customerCheck(db, targetId),
        put(db, purchaseItem({ ...held, amount: cents(held.amount + purchase.amount) }), 'amount = :held', { ':held': held.amount }),
        del(db, purchaseKey(purchase), EXISTS),
      ]);
      if (!combined) return 'combined';
      if (combined.has(0)) return 'target-gone';
      if (combined.has(2)) return 'gone';
      // The target's purchase changed between the read and the write: the event is retried.
      throw new ConcurrentUpdateError();
    },

    async deleteScores(customerId) {
      await client.send(new DeleteCommand({ TableName: tableName, Key: scoresKey(customerId) }));
    },
  };
}
