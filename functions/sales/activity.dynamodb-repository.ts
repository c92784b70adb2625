import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { ActivityRepository } from '#domain/sales/activity.ports.ts';
import type { Activity } from '#domain/sales/activity.schema.ts';
import { CustomerBeingErasedError, CustomerMergedError, UnknownCustomerError } from '#domain/shared/errors.ts';
import { TABLE } from '#infra/table.ts';
import { customerCheck, NOT_ERASING, refusalFor } from '../customers/customer-guard.ts';
import { refKey } from '../customers/customer.keys.ts';
import { type Db, events as eventPuts, NOT_EXISTS, put, queryPage } from '../shared/db.ts';
import { queryAll } from '../shared/dynamo-batch.ts';
import { idempotencyItems, storedResult } from '../shared/idempotency.ts';
import { commit } from '../shared/transaction.ts';
import {
  ACTIVITY_PREFIX,
  ALL_ACTIVITIES,
  activityKey,
  activityTimelineItem,
  customerActivitiesPartition,
  dueMarkerKey,
  fromActivityItem,
  ownerPartition,
  relatedListing,
  statePartition,
  toActivityItem,
} from './activity.keys.ts';
import { fromOpportunityItem, opportunityKey } from './opportunity.keys.ts';

const BY_OWNER = TABLE.indexes.byAssignee;
const BY_STATE = TABLE.indexes.byStatus;
const BY_CREATED = TABLE.indexes.byCreatedAt;
const BY_CUSTOMER = TABLE.indexes.byCampaign;

/** The activities part's table adapter. */
export function dynamoActivityRepository(db: Db): ActivityRepository {
  const { client, tableName } = db;
  return {
    async get(id) {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: activityKey(id), ConsistentRead: true }));
      return Item ? fromActivityItem(Item) : undefined;
    },

    /**
     * An owner's: the by-assignee index's ACTIVITY_OWNER partition, `open` a begins_with on the
     * state prefix of its sort key. A related record's: its sparse slot (gsi5 account, gsi6
     * opportunity, gsi8 customer). Everybody's: the by-created-at ACTIVITIES partition, or (with
     * `open`) the by-status ACTIVITIES#<open|done> one.
     */
    async list({ ownerId, open, account, opportunity, customer, limit, cursor }) {
      const state = open === undefined ? undefined : open ? 'open' : 'done';
      const itemKey = { pk: { startsWith: ACTIVITY_PREFIX }, sk: { is: 'ACTIVITY' } };
      const related = relatedListing({ account, opportunity, customer });
      const page = related
        ? await queryPage(db, { name: `activities-of:${related.partition}`, index: related.index, partition: related.partition, itemKey, limit, cursor })
        : ownerId !== undefined
          ? await queryPage(db, { name: `activities:${ownerId}:${state ?? ''}`, index: BY_OWNER, partition: ownerPartition(ownerId), ...(state ? { sortPrefix: `${state}#` } : {}), itemKey, limit, cursor })
          : state
            ? await queryPage(db, { name: `activities::${state}`, index: BY_STATE, partition: statePartition(state), itemKey, limit, cursor })
            : await queryPage(db, { name: 'activities::', index: BY_CREATED, partition: ALL_ACTIVITIES, itemKey, limit, cursor });
      return { items: page.items.map(fromActivityItem), nextCursor: page.nextCursor };
    },

    async accountOfOpportunity(opportunityId) {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: opportunityKey(opportunityId), ProjectionExpression: '#d.accountId', ExpressionAttributeNames: { '#d': 'data' } }));
      return Item ? fromOpportunityItem(Item).accountId : undefined;
    },

    async linkedTo(customerId) {
      const ids: string[] = [];
      for await (const page of queryAll(client, {
        TableName: tableName,
        IndexName: BY_CUSTOMER.name,
        KeyConditionExpression: '#p = :p',
        ExpressionAttributeNames: { '#p': BY_CUSTOMER.partitionKey },
        ExpressionAttributeValues: { ':p': customerActivitiesPartition(customerId) },
      })) {
        ids.push(...page.map((item) => fromActivityItem(item).id));
      }
      return ids;
    },

    async markDue(activity, events, context) {
      const marker = put(db, { ...dueMarkerKey(activity.id, activity.dueAt ?? ''), type: 'ActivityDueMarker' }, NOT_EXISTS);
      return !(await commit(client, [marker, ...eventPuts(db, events, context)]));
    },

    /**
     * An activity linked to a customer writes its entry on the customer's timeline in the same
     * transaction, with the erasure guard: a new link needs a live customer (not merged away, not
     * being erased); a change of a linked one needs one not being erased (a merged-away profile
     * passes: its partition is erased with its target's). Unlinking (erasure's scrub) needs none.
     */
    async save(next, previous, context) {
      const item = previous ? put(db, toActivityItem(next), 'version = :v', { ':v': previous.version }) : put(db, toActivityItem(next), NOT_EXISTS);
      const claim = previous ? undefined : context.idempotency;
      // The stored answer names the customer: a reference in their partition lets erasure delete it.
      const refs = (record: string) => (next.customerId ? [refKey(next.customerId, record)] : []);
      const once = claim ? idempotencyItems(tableName, claim, next, db.clock.now(), refs) : [];
      const entry = activityTimelineItem(next);
      const guard = next.customerId && entry ? [customerCheck(db, next.customerId, ...(previous?.customerId === next.customerId ? [NOT_ERASING] : [])), put(db, entry)] : [];
      const failed = await commit(client, [...once, item, ...guard]);
      if (!failed) return { saved: next, replayed: false };
      if (claim && failed.has(0)) {
        const first = await storedResult<Activity>(client, tableName, claim);
        if (first) return { saved: first, replayed: true };
      }
      if (next.customerId && failed.has(once.length + 1)) {
        const refusal = await refusalFor(db, next.customerId);
        // Unknown (never was, or erased and gone) is the caller's bad reference on a new link.
        if (!previous && !(refusal instanceof CustomerBeingErasedError || refusal instanceof CustomerMergedError)) throw new UnknownCustomerError(next.customerId, 'an activity');
        throw refusal;
      }
      return { refused: 'version-moved' };
    },
  };
}
