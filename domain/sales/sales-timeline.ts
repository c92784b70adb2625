import type { Channel, Interaction } from '../customers/interaction.schema.ts';
import type { Activity } from './activity.schema.ts';
import type { Opportunity } from './opportunity.schema.ts';

// How sales records read on timelines (pure). Timeline entries share the interactions' shape, so
// the timelines' `?channel=` and `?type=` filters apply to them as to any entry: `type` is
// `activity_<call|meeting|task|email>` or `opportunity_<stage>` (like `case_opened`,
// `consent_granted`), and `channel` is where the activity happens. An entry's time is its record's
// createdAt, so its key (`TL#<createdAt>#<id>`) never moves when the record changes.

/**
 * The channel enum has no "in person": a meeting or a task is recorded in the CRM (`web`, as a
 * rated case is), a call is `phone` and an email `email`.
 */
const ACTIVITY_CHANNEL: Record<Activity['type'], Channel> = { call: 'phone', email: 'email', meeting: 'web', task: 'web' };

/** An activity on its customer's timeline (and on an account timeline): current subject, due time and state. */
export function activityTimelineEntry(a: Activity): Interaction {
  return {
    kind: 'activity',
    id: a.id,
    customerId: a.customerId,
    anonymousId: null,
    channel: ACTIVITY_CHANNEL[a.type],
    type: `activity_${a.type}`,
    direction: 'outbound',
    occurredAt: a.createdAt,
    recordedAt: a.updatedAt,
    summary: a.subject,
    data: { activityId: a.id, type: a.type, dueAt: a.dueAt, completedAt: a.completedAt, accountId: a.accountId, opportunityId: a.opportunityId, ownerId: a.ownerId },
    value: null,
  };
}

/** An opportunity on its account's timeline, as it stands now (stage, probability, amount). */
export function opportunityTimelineEntry(o: Opportunity): Interaction {
  return {
    kind: 'opportunity',
    id: o.id,
    customerId: null,
    anonymousId: null,
    channel: 'web',
    type: `opportunity_${o.stage}`,
    direction: null,
    occurredAt: o.createdAt,
    recordedAt: o.updatedAt,
    summary: `${o.name}: ${o.stage}`,
    data: { opportunityId: o.id, accountId: o.accountId, stage: o.stage, probability: o.probability, closeDate: o.closeDate, ownerId: o.ownerId },
    value: { amount: o.amount, currency: o.currency },
  };
}
