import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { AccountMembership } from '#domain/customers/customer.repository.ts';
import type { Db } from '../shared/db.ts';
import { batchGet } from '../shared/dynamo-batch.ts';
import { accountKey, fromAccountItem } from './account.keys.ts';
import { contactLinksOf } from './contact-links.dynamodb.ts';
import { ownedKey } from './product.keys.ts';

// What the sales context holds about a person, for the GDPR export the customers context serves:
// the person's account memberships and the products they own. Both live in the person's own
// partition (erasure removes them with it); the sales context keeps their item shapes here.

export async function salesPersonalData(db: Pick<Db, 'client' | 'tableName'>, customerId: string): Promise<{ accounts: AccountMembership[]; ownedProducts: string[] }> {
  const { client, tableName } = db;
  const links = await contactLinksOf(db, customerId);
  const [accountItems, owned] = await Promise.all([
    batchGet(client, tableName, links.map((l) => accountKey(l.accountId))),
    client.send(new GetCommand({ TableName: tableName, Key: ownedKey(customerId), ConsistentRead: true })),
  ]);
  const names = new Map(accountItems.map(fromAccountItem).map((a) => [a.id, a.name]));
  return {
    // A link whose account went meanwhile (its deletion removes links after the account) names nothing: left out.
    accounts: links.flatMap((l) => (names.has(l.accountId) ? [{ accountId: l.accountId, name: names.get(l.accountId)!, role: l.role, addedAt: l.addedAt }] : [])),
    ownedProducts: (owned.Item?.skus as string[] | undefined) ?? [],
  };
}
