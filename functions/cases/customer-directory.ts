import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { CustomerDirectory } from '#domain/cases/case-notifications.ts';
import { customerKey, fromProfileItem } from '../customers/customer.keys.ts';

/** Reads a customer's name and email for staff notifications (read-only use of the profile). */
export function dynamoCustomerDirectory(client: DynamoDBDocumentClient, tableName: string): CustomerDirectory {
  return {
    async label(customerId) {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: customerKey(customerId) }));
      // A customer being erased is named by id only, like one already erased.
      if (!Item || Item.erasingSince) return `customer ${customerId}`;
      const c = fromProfileItem(Item);
      const name = [c.firstName, c.lastName].filter(Boolean).join(' ');
      return name ? `${name} <${c.email}>` : c.email || `customer ${customerId}`;
    },
  };
}
