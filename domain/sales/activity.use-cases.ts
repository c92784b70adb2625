import { ConcurrentUpdateError, StaleVersionError } from '../shared/errors.ts';
import type { Clock, CommandContext, IdGenerator, OneOffSchedules } from '../shared/ports.ts';
import { ActivityNotFoundError, createActivity, patchActivity, reminderChange, reminderName, reminderStands, scrubActivity } from './activity.ts';
import { ActivityDue } from '#events/activity-due.event.ts';
import type { ActivityListing, ActivityRepository } from './activity.ports.ts';
import type { Activity, ActivityInput, ActivityPatch } from './activity.schema.ts';

export interface ActivityDeps {
  readonly activities: ActivityRepository;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly schedules: OneOffSchedules;
}

export function activityUseCases({ activities, clock, ids, schedules }: ActivityDeps) {
  /**
   * After the write commits, the reminder schedule follows it (create/replace at dueAt, or cancel).
   * Not in the transaction (the scheduler is not DynamoDB): a failure here answers 500 with the
   * write committed, and the client's retry (the same Idempotency-Key on POST, the same patch)
   * makes the call again; `at` replaces and `cancel` of a missing schedule is no error.
   */
  async function followReminder(previous: Activity | undefined, next: Activity) {
    const change = reminderChange(previous, next);
    if (change === 'cancel') await schedules.cancel(reminderName(next.id));
    else if (change) await schedules.at(reminderName(next.id), change.at, 'activityReminders', { activityId: next.id, dueAt: change.at });
  }

  async function load(id: string): Promise<Activity> {
    const found = await activities.get(id);
    if (!found) throw new ActivityNotFoundError(id);
    return found;
  }

  return {
    /**
     * A fired reminder (the activityReminders function): re-reads the activity; if it is still open
     * and still due at `dueAt`, records ActivityDue once (a second delivery of the same schedule
     * finds its marker). Answers what happened, for the log.
     */
    async remind(activityId: string, dueAt: string, context: CommandContext): Promise<'due' | 'already-reminded' | 'stale'> {
      const activity = await activities.get(activityId);
      if (!reminderStands(activity, dueAt)) return 'stale';
      return (await activities.markDue(activity, [ActivityDue.of({ activityId, ownerId: activity.ownerId, dueAt })], context)) ? 'due' : 'already-reminded';
    },

    /**
     * One transaction: the activity, the idempotency record (a retry answers the first activity) and,
     * with a customer, its timeline entry under the erasure guard. An activity on an opportunity
     * without an account counts for the opportunity's account (as a CRM files it), so the account's
     * timeline and `?account=` find it; an unknown opportunity stays a plain link.
     */
    async create(input: ActivityInput, context: CommandContext): Promise<Activity> {
      const accountId = input.accountId ?? (input.opportunityId ? await activities.accountOfOpportunity(input.opportunityId) : undefined);
      const result = await activities.save(createActivity({ ...input, ...(accountId ? { accountId } : {}) }, { id: ids.next(), now: clock.now() }), undefined, context);
      if ('saved' in result) {
        // A replay schedules again too: the first attempt may have failed after its commit.
        await followReminder(undefined, result.saved);
        return result.saved;
      }
      throw new ConcurrentUpdateError();
    },

    get: load,

    list: (query: ActivityListing) => activities.list(query),

    /**
     * CustomerErased: every activity linked to the person loses the link and its subject (free text
     * that may name them); its timeline entry went with the person's partition. Each is read fresh
     * and written at its version, again if it moved. Answers how many were scrubbed.
     */
    async scrubCustomer(customerId: string, context: CommandContext): Promise<number> {
      let scrubbed = 0;
      for (const id of await activities.linkedTo(customerId)) {
        for (let attempt = 1; ; attempt++) {
          const current = await activities.get(id);
          if (!current || current.customerId !== customerId) break;
          if ('saved' in (await activities.save(scrubActivity(current, clock.now()), current, context))) {
            scrubbed++;
            break;
          }
          if (attempt >= 5) throw new ConcurrentUpdateError();
        }
      }
      return scrubbed;
    },

    /** flow: 1. read, If-Match 2. merge patch 3. write conditional on the version read (a race is 412 with If-Match, else 409). */
    async patch(id: string, patch: ActivityPatch, ifMatch: number | undefined, context: CommandContext): Promise<Activity> {
      const current = await load(id);
      if (ifMatch !== undefined && ifMatch !== current.version) throw new StaleVersionError(ifMatch, current.version);
      const result = await activities.save(patchActivity(current, patch, clock.now()), current, context);
      if ('saved' in result) {
        await followReminder(current, result.saved);
        return result.saved;
      }
      throw ifMatch !== undefined ? new StaleVersionError(ifMatch) : new ConcurrentUpdateError();
    },
  };
}

export type ActivityUseCases = ReturnType<typeof activityUseCases>;
