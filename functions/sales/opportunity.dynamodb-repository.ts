import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { OpportunityRepository } from '#domain/sales/opportunity.ports.ts';
import type { Opportunity } from '#domain/sales/opportunity.schema.ts';
import { type Db, events as eventPuts, NOT_EXISTS, put } from '../shared/db.ts';
import { queryFilteredPage } from '../shared/filtered-page.ts';
import { idempotencyItems, storedResult } from '../shared/idempotency.ts';
import { commit } from '../shared/transaction.ts';
import { accountKey } from './account.keys.ts';
import { partnerCheck, partnerListingFilter } from './partner.dynamodb.ts';
import { fromOpportunityItem, listingOf, OPPORTUNITY_PREFIX, opportunityKey, toOpportunityItem } from './opportunity.keys.ts';

/** The opportunities part's table adapter (items: opportunity.keys.ts). No personal data: no erasure guard. */
export function dynamoOpportunityRepository(db: Db): OpportunityRepository {
  const { client, tableName } = db;

  return {
    async get(id) {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: opportunityKey(id), ConsistentRead: true }));
      return Item ? fromOpportunityItem(Item) : undefined;
    },

    async list({ limit, cursor, stage, owner, account, partner }) {
      const { index, partition } = listingOf({ stage, owner, account, partner });
      const page = await queryFilteredPage(db, {
        name: `opportunities:${stage ?? ''}:${owner ?? ''}:${account ?? ''}${partner ? `:${partner}` : ''}`,
        index,
        partition,
        itemKey: { pk: { startsWith: OPPORTUNITY_PREFIX }, sk: { is: 'OPPORTUNITY' } },
        limit,
        cursor,
        filter: partner ? partnerListingFilter({ stage, ownerId: owner, accountId: account }) : undefined,
      });
      return { items: page.items.map(fromOpportunityItem), nextCursor: page.nextCursor };
    },

    async create(opportunity, events, context) {
      const claim = context.idempotency;
      const once = claim ? idempotencyItems(tableName, claim, opportunity, db.clock.now()) : [];
      const partner = opportunity.partnerAccountId;
      // A transaction names an item once: an opportunity on the partner's own account checks both in one.
      const checks = partner === opportunity.accountId
        ? [partnerCheck(db, partner)]
        : [{ ConditionCheck: { TableName: tableName, Key: accountKey(opportunity.accountId), ConditionExpression: 'attribute_exists(pk)' } }, ...(partner ? [partnerCheck(db, partner)] : [])];
      const failed = await commit(client, [...once, ...checks, put(db, toOpportunityItem(opportunity), NOT_EXISTS), ...eventPuts(db, events, context)]);
      if (!failed) return { saved: opportunity };
      if (claim && failed.has(0)) {
        const first = await storedResult<Opportunity>(client, tableName, claim);
        if (first) return { saved: first };
      }
      if (partner === opportunity.accountId && failed.has(once.length)) {
        // The one check failed: tell a missing account from one that is not a partner.
        const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: accountKey(opportunity.accountId), ConsistentRead: true }));
        return { refused: Item ? 'not-a-partner' : 'unknown-account' };
      }
      if (failed.has(once.length)) return { refused: 'unknown-account' };
      if (partner && failed.has(once.length + 1)) return { refused: 'not-a-partner' };
      return { refused: 'version-moved' };
    },

    async update(previous, next, events, context) {
      // Only a new assignment checks the account: an opportunity stays workable when its partner is retyped or deleted later.
      const assigned = next.partnerAccountId && next.partnerAccountId !== previous.partnerAccountId ? next.partnerAccountId : null;
      const failed = await commit(client, [
        put(db, toOpportunityItem(next), 'version = :v', { ':v': previous.version }),
        ...(assigned ? [partnerCheck(db, assigned)] : []),
        ...eventPuts(db, events, context),
      ]);
      if (!failed) return { saved: next };
      return { refused: assigned && failed.has(1) ? 'not-a-partner' : 'version-moved' };
    },
  };
}
