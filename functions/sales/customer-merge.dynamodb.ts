import type { SalesMergeStore } from '#domain/sales/customer-merge.use-cases.ts';
import { customerCheck } from '../customers/customer-guard.ts';
import { type Db, del, NOT_EXISTS, put } from '../shared/db.ts';
import { commit } from '../shared/transaction.ts';
import { accountKey, contactKey, toContactItem } from './account.keys.ts';
import { dynamoCoOccurrenceStore } from './co-occurrence.dynamodb-store.ts';
import { contactLinksOf } from './contact-links.dynamodb.ts';
import { ownedKey } from './product.keys.ts';

// The sales items a merge moves, both in the people's own partitions: contact links
// (CUSTOMER#<id> / ACCOUNT#<accountId>, gsi8 CONTACTS#<accountId> follows the item) and owned
// products (CUSTOMER#<id> / OWNED_PRODUCTS). Every write into the target's partition carries the
// erasure guard.

export function dynamoSalesMergeStore(db: Db): SalesMergeStore {
  const { client, tableName } = db;
  const coOccurrence = dynamoCoOccurrenceStore(db);

  return {
    linksOf: (customerId) => contactLinksOf(db, customerId),

    async moveLink(link, targetId) {
      const failed = await commit(client, [
        customerCheck(db, targetId),
        { ConditionCheck: { TableName: tableName, Key: accountKey(link.accountId), ConditionExpression: 'attribute_exists(pk)' } },
        put(db, toContactItem({ ...link, customerId: targetId }), NOT_EXISTS),
        del(db, contactKey(link.accountId, link.customerId)),
      ]);
      if (!failed) return 'moved';
      if (failed.has(0)) return 'target-gone';
      // The target is a contact already (its role stays) or the account went meanwhile: the source's link just goes.
      await commit(client, [del(db, contactKey(link.accountId, link.customerId))]);
      return 'target-kept';
    },

    owned: (customerId) => coOccurrence.owned([customerId]),

    async mergeOwned({ sourceId, source, targetId, target, skus }) {
      const failed = await commit(client, [
        customerCheck(db, targetId),
        put(
          db,
          { ...ownedKey(targetId), type: 'OwnedProducts', skus: [...skus], version: target.version + 1 },
          target.version === 0 ? NOT_EXISTS : 'version = :version',
          target.version === 0 ? undefined : { ':version': target.version },
        ),
        del(db, ownedKey(sourceId), 'version = :version', { ':version': source.version }),
      ]);
      if (!failed) return 'merged';
      return failed.has(0) ? 'target-gone' : 'changed';
    },
  };
}
