import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { CustomerRepository } from '#domain/customers/customer.repository.ts';
import { ConflictError, CustomerBeingErasedError, CustomerErasedError, IdentityTakenError } from '#domain/shared/errors.ts';
import { queryAll } from '../../shared/dynamo-batch.ts';
import type { TransactItem } from '../../shared/outbox.ts';
import { commit } from '../../shared/transaction.ts';
import {
  customerIdentityKey,
  customerKey,
  customerPartition,
  fromIdentityItem,
  IDENTITY_PREFIX,
  identityKey,
  toCustomerIdentityItem,
  toIdentityOwnerItem,
} from '../customer.keys.ts';
import { type Db, del, events, NOT_EXISTS, put, WRITABLE } from '../../shared/db.ts';
import { customerCheck, refusalFor } from '../customer-guard.ts';

const IDENTITIES_PER_TRANSACTION = 30; // 3 items each, plus the target's check

export function identities(db: Db): Pick<CustomerRepository, 'identitiesOf' | 'linkIdentity' | 'moveIdentities'> {
  const { client, tableName } = db;

  async function identitiesOf(customerId: string) {
    const found = [];
    for await (const page of queryAll(client, {
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': customerPartition(customerId), ':prefix': IDENTITY_PREFIX },
      ConsistentRead: true,
    })) {
      found.push(...page.map(fromIdentityItem));
    }
    return found;
  }

  return {
    identitiesOf,

    async linkIdentity(customer, { type, value }, list, context) {
      const linkedAt = db.clock.now().toISOString();
      const items: TransactItem[] = [
        put(db, toIdentityOwnerItem(type, value, customer.id, linkedAt), NOT_EXISTS),
        put(db, toCustomerIdentityItem(type, value, customer.id, linkedAt)),
        { ConditionCheck: { TableName: tableName, Key: customerKey(customer.id), ConditionExpression: WRITABLE } },
        ...events(db, list, context),
      ];
      const failed = await commit(client, items);
      if (!failed) return { identity: { type, value, customerId: customer.id, linkedAt }, created: true };
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: identityKey(type, value), ConsistentRead: true }));
      if (failed.has(0) && Item?.customerId === customer.id) {
        return { identity: fromIdentityItem(Item), created: false };
      }
      if (failed.has(0) && Item) throw new IdentityTakenError(type, value, String(Item.customerId));
      throw new ConflictError(`Customer ${customer.id} was merged or erased meanwhile.`);
    },

    async moveIdentities(sourceId, targetId) {
      const moving = await identitiesOf(sourceId);
      for (let start = 0; start < moving.length; start += IDENTITIES_PER_TRANSACTION) {
        const items = [
          customerCheck(db, targetId),
          ...moving.slice(start, start + IDENTITIES_PER_TRANSACTION).flatMap(({ type, value, linkedAt }): TransactItem[] => [
            put(db, toIdentityOwnerItem(type, value, targetId, linkedAt), 'customerId IN (:source, :target)', { ':source': sourceId, ':target': targetId }),
            del(db, customerIdentityKey(sourceId, type, value)),
            put(db, toCustomerIdentityItem(type, value, targetId, linkedAt)),
          ]),
        ];
        const failed = await commit(client, items);
        if (failed?.has(0)) throw await refusalFor(db, targetId);
        if (failed) {
          // The source's own erasure took the identity meanwhile: that is an answer, not a fault.
          const refusal = await refusalFor(db, sourceId);
          if (refusal instanceof CustomerBeingErasedError || refusal instanceof CustomerErasedError) throw refusal;
          throw new Error('An identity of the source changed owner during the merge');
        }
      }
    },
  };
}
