import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { LeadConversionStore, ConversionRefusal } from '#domain/sales/lead-conversion.ports.ts';
import type { LeadConversionResult } from '#domain/sales/lead-conversion.schema.ts';
import { customerCheck } from '../customers/customer-guard.ts';
import { customerCreateItems } from '../customers/customer.dynamodb-repository.ts';
import { customerKey, erasureKey, identityKey, refKey } from '../customers/customer.keys.ts';
import { type Db, events as eventPuts, NOT_EXISTS, put } from '../shared/db.ts';
import { batchGet } from '../shared/dynamo-batch.ts';
import { idempotencyItems, storedResult } from '../shared/idempotency.ts';
import type { TransactItem } from '../shared/outbox.ts';
import { commit } from '../shared/transaction.ts';
import { accountCreateItems } from './account.dynamodb-repository.ts';
import { accountKey, contactKey, fromContactItem, toContactItem } from './account.keys.ts';
import { leadUpdateItems, onceKeyOf } from './lead.dynamodb-repository.ts';
import { leadKey } from './lead.keys.ts';
import { opportunityCreateItems } from './opportunity.dynamodb-repository.ts';
import { dynamoPipelineRepository } from './pipeline.dynamodb-repository.ts';

/**
 * The lead conversion's table adapter. It writes no item shape of its own: each part's item builder
 * (customers, accounts, opportunities, leads) gives its items, and they commit in ONE transaction
 * with the contact link, LeadConverted and the idempotency record (at most 14 of DynamoDB's 100).
 */
export function dynamoLeadConversionStore(db: Db): LeadConversionStore {
  const { client, tableName } = db;

  return {
    async customerState(customerId) {
      const items = await batchGet(client, tableName, [customerKey(customerId), erasureKey(customerId)]);
      const profile = items.find((i) => i.sk === 'PROFILE');
      if (profile?.erasingSince) return { kind: 'being-erased' };
      if (typeof profile?.mergedInto === 'string') return { kind: 'merged', into: profile.mergedInto };
      if (profile) return { kind: 'live' };
      return items.some((i) => i.sk === 'ERASURE') ? { kind: 'erased' } : { kind: 'missing' };
    },

    async customerOfEmail(email) {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: identityKey('email', email), ConsistentRead: true }));
      return Item ? String(Item.customerId) : undefined;
    },

    async contact(accountId, customerId) {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: contactKey(accountId, customerId), ConsistentRead: true }));
      return Item ? fromContactItem(Item) : undefined;
    },

    pipeline: () => dynamoPipelineRepository(db).stages(),

    replay: (claim) => storedResult<LeadConversionResult>(client, tableName, claim),

    async commit(plan, context) {
      const items: TransactItem[] = [];
      const reasons: ConversionRefusal[] = [];
      const add = (reason: ConversionRefusal, ...more: TransactItem[]) => {
        items.push(...more);
        reasons.push(...more.map(() => reason));
      };
      const customerId = plan.lead.conversion!.customerId;
      const claim = context.idempotency;
      // The stored answer names the person: a reference in their partition lets their erasure delete it.
      if (claim) add('key-used', ...idempotencyItems(tableName, claim, plan.result, db.clock.now(), (record) => [refKey(customerId, record)]));
      // A new customer's conditional puts are its guard (its email may have been taken meanwhile);
      // an existing one gets the erasure guard: writable, not merged away, not being erased.
      if ('created' in plan.customer) add('customer-moved', ...customerCreateItems(db, plan.customer.created, plan.events.customer, context));
      else add('customer-moved', customerCheck(db, plan.customer.existing));
      if ('created' in plan.account) add('unknown-account', ...accountCreateItems(db, plan.account.created, plan.events.account, context));
      else add('unknown-account', { ConditionCheck: { TableName: tableName, Key: accountKey(plan.account.existing), ConditionExpression: 'attribute_exists(pk)' } });
      // The link as read: still there (it keeps its role), or still absent.
      add('contact-moved', put(db, toContactItem(plan.contact), plan.contactExisted ? 'attribute_exists(pk)' : NOT_EXISTS));
      if (plan.opportunity) {
        // The opportunity's items: its put (a new id), the pipeline's check that its stage is still
        // configured (the only one of them that can fail), counters and events.
        const [created, ...rest] = opportunityCreateItems(db, plan.opportunity, plan.events.opportunity, context);
        add('lead-moved', created!);
        add('unknown-stage', ...rest);
      }
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: leadKey(plan.previous.id), ConsistentRead: true, ProjectionExpression: 'onceKey' }));
      add('lead-moved', ...leadUpdateItems(db, plan.previous, plan.lead, onceKeyOf(Item)), ...eventPuts(db, plan.events.lead, context));
      const failed = await commit(client, items);
      if (!failed) return undefined;
      // The first failed condition in the order above names the refusal (the key before anything else).
      return reasons[Math.min(...failed)];
    },
  };
}
