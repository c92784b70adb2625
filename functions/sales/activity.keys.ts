import type { Activity } from '#domain/sales/activity.schema.ts';
import { activityTimelineEntry } from '#domain/sales/sales-timeline.ts';
import { TABLE } from '#infra/table.ts';
import { toInteractionItem } from '../customers/customer.keys.ts';

// Keys and item mappers for activities (pure; no I/O).
//   due marker pk ACTIVITY#<id>  sk DUE#<dueAt>  (the reminder at that dueAt was recorded)
//   activity  pk ACTIVITY#<id>  sk ACTIVITY  data: Activity, version;
//             gsi1 ACTIVITIES / <createdAt>#<id> (all, newest first)
//             gsi4 ACTIVITIES#<open|done> / <createdAt>#<id> (all open or all done ones, newest first)
//             gsi3 ACTIVITY_OWNER#<ownerId> / <open|done>#<createdAt>#<id> (an owner's open or done ones, newest first)
//             gsi5 ACTIVITIES_OF_ACCOUNT#<accountId> / <createdAt>#<id> (an account's; the account timeline)
//             gsi6 ACTIVITIES_OF_OPPORTUNITY#<opportunityId> / <createdAt>#<id> (an opportunity's)
//             gsi8 ACTIVITIES_OF_CUSTOMER#<customerId> / <createdAt>#<id> (a customer's; its erasure finds them here)
//             (each only when the activity has that link: sparse)
// timeline  pk CUSTOMER#<customerId>  sk TL#<createdAt>#<id>  kind activity (the customers context reads it)

const BY_CREATED = TABLE.indexes.byCreatedAt;
const BY_STATE = TABLE.indexes.byStatus;
const BY_OWNER = TABLE.indexes.byAssignee;
const BY_ACCOUNT = TABLE.indexes.byCustomer;
const BY_OPPORTUNITY = TABLE.indexes.byPriority;
const BY_CUSTOMER = TABLE.indexes.byCampaign;

export const ALL_ACTIVITIES = 'ACTIVITIES';
export const statePartition = (state: 'open' | 'done') => `ACTIVITIES#${state}`;

export const ACTIVITY_PREFIX = 'ACTIVITY#';
export const activityKey = (id: string) => ({ pk: `${ACTIVITY_PREFIX}${id}`, sk: 'ACTIVITY' });
/** A due reminder recorded once per (activity, dueAt): several deliveries of one schedule make one ActivityDue. */
export const dueMarkerKey = (id: string, dueAt: string) => ({ pk: `${ACTIVITY_PREFIX}${id}`, sk: `DUE#${dueAt}` });
export const ownerPartition = (ownerId: string) => `ACTIVITY_OWNER#${ownerId}`;
export const accountActivitiesPartition = (accountId: string) => `ACTIVITIES_OF_ACCOUNT#${accountId}`;
export const opportunityActivitiesPartition = (opportunityId: string) => `ACTIVITIES_OF_OPPORTUNITY#${opportunityId}`;
export const customerActivitiesPartition = (customerId: string) => `ACTIVITIES_OF_CUSTOMER#${customerId}`;

/** The index and partition of a listing by one related record (the handler allows one filter at a time). */
export function relatedListing(filter: { account?: string | undefined; opportunity?: string | undefined; customer?: string | undefined }) {
  if (filter.account !== undefined) return { index: BY_ACCOUNT, partition: accountActivitiesPartition(filter.account) };
  if (filter.opportunity !== undefined) return { index: BY_OPPORTUNITY, partition: opportunityActivitiesPartition(filter.opportunity) };
  if (filter.customer !== undefined) return { index: BY_CUSTOMER, partition: customerActivitiesPartition(filter.customer) };
  return undefined;
}

export const stateOf = (a: Pick<Activity, 'completedAt'>): 'open' | 'done' => (a.completedAt === null ? 'open' : 'done');

export function toActivityItem(a: Activity): Record<string, unknown> {
  const sort = `${a.createdAt}#${a.id}`;
  const related = [
    ...(a.accountId ? [[BY_ACCOUNT, accountActivitiesPartition(a.accountId)] as const] : []),
    ...(a.opportunityId ? [[BY_OPPORTUNITY, opportunityActivitiesPartition(a.opportunityId)] as const] : []),
    ...(a.customerId ? [[BY_CUSTOMER, customerActivitiesPartition(a.customerId)] as const] : []),
  ].flatMap(([index, partition]) => [
    [index.partitionKey, partition],
    [index.sortKey, sort],
  ]);
  return {
    ...activityKey(a.id),
    type: 'Activity',
    [BY_CREATED.partitionKey]: ALL_ACTIVITIES,
    [BY_CREATED.sortKey]: sort,
    [BY_STATE.partitionKey]: statePartition(stateOf(a)),
    [BY_STATE.sortKey]: sort,
    [BY_OWNER.partitionKey]: ownerPartition(a.ownerId), [BY_OWNER.sortKey]: `${stateOf(a)}#${a.createdAt}#${a.id}`,
    ...Object.fromEntries(related),
    data: a, version: a.version };
}

/** The activity's entry on its customer's timeline (absent without a customer). */
export const activityTimelineItem = (a: Activity) => (a.customerId ? toInteractionItem(activityTimelineEntry(a)) : undefined);

export const fromActivityItem = (item: Record<string, unknown>): Activity => item.data as Activity;
