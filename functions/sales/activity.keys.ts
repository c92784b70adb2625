import type { Activity } from '#domain/sales/activity.schema.ts';
import { TABLE } from '#infra/table.ts';

// Keys and item mappers for activities (pure; no I/O).
//   due marker pk ACTIVITY#<id>  sk DUE#<dueAt>  (the reminder at that dueAt was recorded)
//   activity  pk ACTIVITY#<id>  sk ACTIVITY  data: Activity, version;
//             gsi1 ACTIVITIES / <createdAt>#<id> (all, newest first)
//             gsi4 ACTIVITIES#<open|done> / <createdAt>#<id> (all open or all done ones, newest first)
//             gsi3 ACTIVITY_OWNER#<ownerId> / <open|done>#<createdAt>#<id> (an owner's open or done ones, newest first)

const BY_CREATED = TABLE.indexes.byCreatedAt;
const BY_STATE = TABLE.indexes.byStatus;
const BY_OWNER = TABLE.indexes.byAssignee;

export const ALL_ACTIVITIES = 'ACTIVITIES';
export const statePartition = (state: 'open' | 'done') => `ACTIVITIES#${state}`;

export const ACTIVITY_PREFIX = 'ACTIVITY#';
export const activityKey = (id: string) => ({ pk: `${ACTIVITY_PREFIX}${id}`, sk: 'ACTIVITY' });
/** A due reminder recorded once per (activity, dueAt): several deliveries of one schedule make one ActivityDue. */
export const dueMarkerKey = (id: string, dueAt: string) => ({ pk: `${ACTIVITY_PREFIX}${id}`, sk: `DUE#${dueAt}` });
export const ownerPartition = (ownerId: string) => `ACTIVITY_OWNER#${ownerId}`;
export const stateOf = (a: Pick<Activity, 'completedAt'>): 'open' | 'done' => (a.completedAt === null ? 'open' : 'done');

export function toActivityItem(a: Activity): Record<string, unknown> {
  const sort = `${a.createdAt}#${a.id}`;
  return {
    ...activityKey(a.id),
    type: 'Activity',
    [BY_CREATED.partitionKey]: ALL_ACTIVITIES,
    [BY_CREATED.sortKey]: sort,
    [BY_STATE.partitionKey]: statePartition(stateOf(a)),
    [BY_STATE.sortKey]: sort,
    [BY_OWNER.partitionKey]: ownerPartition(a.ownerId), [BY_OWNER.sortKey]: `${stateOf(a)}#${a.createdAt}#${a.id}`, data: a, version: a.version };
}

export const fromActivityItem = (item: Record<string, unknown>): Activity => item.data as Activity;
