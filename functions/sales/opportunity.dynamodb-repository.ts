import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { OpportunityRepository } from '#domain/sales/opportunity.ports.ts';
import type { Opportunity } from '#domain/sales/opportunity.schema.ts';
import type { DomainEvent } from '#events/define-event.ts';
import type { CommandContext } from '#domain/shared/ports.ts';
import { type Db, events as eventPuts, NOT_EXISTS, put, queryPage } from '../shared/db.ts';
import { idempotencyItems, storedResult } from '../shared/idempotency.ts';
import type { TransactItem } from '../shared/outbox.ts';
import { commit } from '../shared/transaction.ts';
import { accountKey } from './account.keys.ts';
import { fromOpportunityItem, listingOf, OPPORTUNITY_PREFIX, opportunityKey, toOpportunityItem } from './opportunity.keys.ts';

/**
 * The items that create an opportunity: the item (new) and its events. The one definition of an
 * opportunity's creation: POST /opportunities and a lead's conversion both commit these (each adds
 * its own check that the account exists, or creates it in the same transaction).
 */
export function opportunityCreateItems(db: Db, opportunity: Opportunity, events: readonly DomainEvent[], context: CommandContext): TransactItem[] {
  return [put(db, toOpportunityItem(opportunity), NOT_EXISTS), ...eventPuts(db, events, context)];
}

/** The opportunities part's table adapter (items: opportunity.keys.ts). No personal data: no erasure guard. */
export function dynamoOpportunityRepository(db: Db): OpportunityRepository {
  const { client, tableName } = db;

  return {
    async get(id) {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: opportunityKey(id), ConsistentRead: true }));
      return Item ? fromOpportunityItem(Item) : undefined;
    },

    async list({ limit, cursor, stage, owner, account }) {
      const { index, partition } = listingOf({ stage, owner, account });
      const page = await queryPage(db, {
        name: `opportunities:${stage ?? ''}:${owner ?? ''}:${account ?? ''}`,
        index,
        partition,
        itemKey: { pk: { startsWith: OPPORTUNITY_PREFIX }, sk: { is: 'OPPORTUNITY' } },
        limit,
        cursor,
      });
      return { items: page.items.map(fromOpportunityItem), nextCursor: page.nextCursor };
    },

    async create(opportunity, events, context) {
      const claim = context.idempotency;
      const once = claim ? idempotencyItems(tableName, claim, opportunity, db.clock.now()) : [];
      const failed = await commit(client, [
        ...once,
        { ConditionCheck: { TableName: tableName, Key: accountKey(opportunity.accountId), ConditionExpression: 'attribute_exists(pk)' } },
        ...opportunityCreateItems(db, opportunity, events, context),
      ]);
      if (!failed) return { saved: opportunity };
      if (claim && failed.has(0)) {
        const first = await storedResult<Opportunity>(client, tableName, claim);
        if (first) return { saved: first };
      }
      return { refused: failed.has(once.length) ? 'unknown-account' : 'version-moved' };
    },

    async update(previous, next, events, context) {
      const failed = await commit(client, [put(db, toOpportunityItem(next), 'version = :v', { ':v': previous.version }), ...eventPuts(db, events, context)]);
      return failed ? { refused: 'version-moved' } : { saved: next };
    },
  };
}
