import type { Contact } from '#domain/sales/account.schema.ts';
import { customerPartition } from '../customers/customer.keys.ts';
import type { Db } from '../shared/db.ts';
import { queryAll } from '../shared/dynamo-batch.ts';
import { CONTACT_LINK_PREFIX, fromContactItem } from './account.keys.ts';

/**
 * Every account link of one person, read from their own partition (`CUSTOMER#<id>` / `ACCOUNT#…`),
 * consistently: a merge moves them and an export lists them, and neither may miss one just written.
 */
export async function contactLinksOf({ client, tableName }: Pick<Db, 'client' | 'tableName'>, customerId: string): Promise<Contact[]> {
  const links: Contact[] = [];
  for await (const page of queryAll(client, {
    TableName: tableName,
    KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
    ExpressionAttributeValues: { ':p': customerPartition(customerId), ':s': CONTACT_LINK_PREFIX },
    ConsistentRead: true,
  })) {
    links.push(...page.map(fromContactItem));
  }
  return links;
}
