import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { PurchaseInteractions } from '#domain/sales/product.ports.ts';
import type { Db } from '../shared/db.ts';
import { timelineKey } from '../customers/customer.keys.ts';

/** A purchase interaction's data, read by its timeline key (strongly consistent: the event may outrun a replica). */
export function dynamoPurchaseInteractions({ client, tableName }: Pick<Db, 'client' | 'tableName'>): PurchaseInteractions {
  return {
    async dataOf(customerId, occurredAt, interactionId) {
      const key = timelineKey({ customerId, anonymousId: null, occurredAt, id: interactionId });
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true, ProjectionExpression: '#data', ExpressionAttributeNames: { '#data': 'data' } }));
      return Item ? (Item.data ?? {}) : undefined;
    },
  };
}
