import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { RelatedNames } from '#domain/sales/activity-reminder.ts';
import { dynamoCustomerDirectory } from '../cases/customer-directory.ts';
import type { Db } from '../shared/db.ts';
import { accountKey } from './account.keys.ts';
import { opportunityKey } from './opportunity.keys.ts';

/**
 * Names for the reminder mail, read from the stores: the customer through the cases' staff
 * directory (a customer erased or being erased is named by id only), an account's or
 * opportunity's `name` projected from its item.
 */
export function dynamoRelatedNames({ client, tableName }: Pick<Db, 'client' | 'tableName'>): RelatedNames {
  const directory = dynamoCustomerDirectory(client, tableName);
  async function nameOf(key: { pk: string; sk: string }): Promise<string | undefined> {
    const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: key, ProjectionExpression: '#d.#n', ExpressionAttributeNames: { '#d': 'data', '#n': 'name' } }));
    const item = Item as { data?: { name?: unknown } } | undefined;
    return typeof item?.data?.name === 'string' ? item.data.name : undefined;
  }
  return {
    customer: (customerId) => directory.label(customerId),
    account: (accountId) => nameOf(accountKey(accountId)),
    opportunity: (opportunityId) => nameOf(opportunityKey(opportunityId)),
  };
}
