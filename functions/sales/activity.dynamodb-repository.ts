import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { ActivityRepository } from '#domain/sales/activity.ports.ts';
import type { Activity } from '#domain/sales/activity.schema.ts';
import { TABLE } from '#infra/table.ts';
import { type Db, events as eventPuts, NOT_EXISTS, put, queryPage } from '../shared/db.ts';
import { idempotencyItems, storedResult } from '../shared/idempotency.ts';
import { commit } from '../shared/transaction.ts';
import { ACTIVITY_PREFIX, ALL_ACTIVITIES, activityKey, dueMarkerKey, fromActivityItem, ownerPartition, statePartition, toActivityItem } from './activity.keys.ts';

const BY_OWNER = TABLE.indexes.byAssignee;
const BY_STATE = TABLE.indexes.byStatus;
const BY_CREATED = TABLE.indexes.byCreatedAt;

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
     * state prefix of its sort key. Everybody's: the by-created-at ACTIVITIES partition, or (with
     * `open`) the by-status ACTIVITIES#<open|done> one.
     */
    async list({ ownerId, open, limit, cursor }) {
      const state = open === undefined ? undefined : open ? 'open' : 'done';
      const itemKey = { pk: { startsWith: ACTIVITY_PREFIX }, sk: { is: 'ACTIVITY' } };
      const page =
        ownerId !== undefined
          ? await queryPage(db, { name: `activities:${ownerId}:${state ?? ''}`, index: BY_OWNER, partition: ownerPartition(ownerId), ...(state ? { sortPrefix: `${state}#` } : {}), itemKey, limit, cursor })
          : state
            ? await queryPage(db, { name: `activities::${state}`, index: BY_STATE, partition: statePartition(state), itemKey, limit, cursor })
            : await queryPage(db, { name: 'activities::', index: BY_CREATED, partition: ALL_ACTIVITIES, itemKey, limit, cursor });
      return { items: page.items.map(fromActivityItem), nextCursor: page.nextCursor };
    },

    async markDue(activity, events, context) {
      const marker = put(db, { ...dueMarkerKey(activity.id, activity.dueAt ?? ''), type: 'ActivityDueMarker' }, NOT_EXISTS);
      return !(await commit(client, [marker, ...eventPuts(db, events, context)]));
    },

    async save(next, previous, context) {
      const item = previous ? put(db, toActivityItem(next), 'version = :v', { ':v': previous.version }) : put(db, toActivityItem(next), NOT_EXISTS);
      const claim = previous ? undefined : context.idempotency;
      const once = claim ? idempotencyItems(tableName, claim, next, db.clock.now()) : [];
      const failed = await commit(client, [...once, item]);
      if (!failed) return { saved: next, replayed: false };
      if (claim && failed.has(0)) {
        const first = await storedResult<Activity>(client, tableName, claim);
        if (first) return { saved: first, replayed: true };
      }
      return { refused: 'version-moved' };
    },
  };
}
