import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { OpportunityRepository } from '#domain/sales/opportunity.ports.ts';
import type { Opportunity } from '#domain/sales/opportunity.schema.ts';
import type { DomainEvent } from '#events/define-event.ts';
import type { CommandContext } from '#domain/shared/ports.ts';
import { type Db, events as eventPuts, NOT_EXISTS, put } from '../shared/db.ts';
import { queryFilteredPage } from '../shared/filtered-page.ts';
import { idempotencyItems, storedResult } from '../shared/idempotency.ts';
import type { TransactItem } from '../shared/outbox.ts';
import { commit } from '../shared/transaction.ts';
import { accountKey } from './account.keys.ts';
import { partnerCheck, partnerListingFilter } from './partner.dynamodb.ts';
import { fromOpportunityItem, listingOf, OPPORTUNITY_PREFIX, opportunityKey, toOpportunityItem } from './opportunity.keys.ts';
import { pipelineCounterUpdates } from './pipeline-counters.ts';

/**
 * The items that create an opportunity: the item (new), the pipeline counters' items
 * (pipeline-counters.ts: the first may be the check that its stage is still configured) and its
 * events. The one definition of an opportunity's creation: POST /opportunities and a lead's
 * conversion both commit these (each adds its own check that the account exists, or creates it in
 * the same transaction).
 */
export function opportunityCreateItems(db: Db, opportunity: Opportunity, events: readonly DomainEvent[], context: CommandContext): TransactItem[] {
  return [put(db, toOpportunityItem(opportunity), NOT_EXISTS), ...pipelineCounterUpdates(db.tableName, undefined, opportunity), ...eventPuts(db, events, context)];
}

/**
 * The opportunities part's table adapter (items: opportunity.keys.ts). No personal data: no erasure
 * guard. Every write carries the pipeline counters' items (pipeline-counters.ts) in its transaction.
 */
export function dynamoOpportunityRepository(db: Db): OpportunityRepository {
  const { client, tableName } = db;

  return {
    async get(id) {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: opportunityKey(id), ConsistentRead: true }));
      return Item ? fromOpportunityItem(Item) : undefined;
    },

    async list({ limit, cursor, stage, owner, account, closingBefore, partner }) {
      const { index, partition, sortBefore } = listingOf({ stage, owner, account, closingBefore, partner });
      const page = await queryFilteredPage(db, {
        name: `opportunities:${stage ?? ''}:${owner ?? ''}:${account ?? ''}:${closingBefore ?? ''}${partner ? `:${partner}` : ''}`,
        index,
        partition,
        ...(sortBefore !== undefined ? { sortBefore, ascending: true } : {}),
        itemKey: { pk: { startsWith: OPPORTUNITY_PREFIX }, sk: { is: 'OPPORTUNITY' } },
        limit,
        cursor,
        filter: partner ? partnerListingFilter({ stage, ownerId: owner, accountId: account }, closingBefore) : undefined,
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
      const pipeline = once.length + checks.length + 1; // where the pipeline's items start: only its first may fail (the stage left the pipeline)
      const failed = await commit(client, [...once, ...checks, ...opportunityCreateItems(db, opportunity, events, context)]);
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
      return { refused: failed.has(pipeline) ? 'unknown-stage' : 'version-moved' };
    },

    async update(previous, next, events, context) {
      // Only a new assignment checks the account: an opportunity stays workable when its partner is retyped or deleted later.
      const assigned = next.partnerAccountId && next.partnerAccountId !== previous.partnerAccountId ? next.partnerAccountId : null;
      const checks = assigned ? [partnerCheck(db, assigned)] : [];
      const failed = await commit(client, [
        put(db, toOpportunityItem(next), 'version = :v', { ':v': previous.version }),
        ...checks,
        ...pipelineCounterUpdates(tableName, previous, next),
        ...eventPuts(db, events, context),
      ]);
      if (!failed) return { saved: next };
      if (failed.has(0)) return { refused: 'version-moved' };
      return { refused: assigned && failed.has(1) ? 'not-a-partner' : 'unknown-stage' };
    },
  };
}
