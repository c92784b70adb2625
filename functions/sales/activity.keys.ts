import type { Activity } from '#domain/sales/activity.schema.ts';
import { TABLE } from '#infra/table.ts';

// Keys and item mappers for activities (pure; no I/O).
//   activity  pk ACTIVITY#<id>  sk ACTIVITY  data: Activity, version;
//             gsi3 ACTIVITY_OWNER#<ownerId> / <open|done>#<createdAt>#<id> (an owner's open or done ones, newest first)

const BY_OWNER = TABLE.indexes.byAssignee;

export const ACTIVITY_PREFIX = 'ACTIVITY#';
export const activityKey = (id: string) => ({ pk: `${ACTIVITY_PREFIX}${id}`, sk: 'ACTIVITY' });
export const ownerPartition = (ownerId: string) => `ACTIVITY_OWNER#${ownerId}`;
export const stateOf = (a: Pick<Activity, 'completedAt'>) => (a.completedAt === null ? 'open' : 'done');

export function toActivityItem(a: Activity): Record<string, unknown> {
  return { ...activityKey(a.id), type: 'Activity', [BY_OWNER.partitionKey]: ownerPartition(a.ownerId), [BY_OWNER.sortKey]: `${stateOf(a)}#${a.createdAt}#${a.id}`, data: a, version: a.version };
}

export const fromActivityItem = (item: Record<string, unknown>): Activity => item.data as Activity;
