import { ConcurrentUpdateError, StaleVersionError } from '../shared/errors.ts';
import type { Clock, CommandContext, IdGenerator } from '../shared/ports.ts';
import { ActivityNotFoundError, createActivity, patchActivity } from './activity.ts';
import type { ActivityRepository } from './activity.ports.ts';
import type { PageRequest } from './account.ports.ts';
import type { Activity, ActivityInput, ActivityPatch } from './activity.schema.ts';

export interface ActivityDeps {
  readonly activities: ActivityRepository;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

export function activityUseCases({ activities, clock, ids }: ActivityDeps) {
  async function load(id: string): Promise<Activity> {
    const found = await activities.get(id);
    if (!found) throw new ActivityNotFoundError(id);
    return found;
  }

  return {
    /** One transaction: the activity and the idempotency record (a retry answers the first activity). */
    async create(input: ActivityInput, context: CommandContext): Promise<Activity> {
      const result = await activities.save(createActivity(input, { id: ids.next(), now: clock.now() }), undefined, context);
      if ('saved' in result) return result.saved;
      throw new ConcurrentUpdateError();
    },

    get: load,

    list: (query: PageRequest & { ownerId?: string | undefined; open?: boolean | undefined }) => activities.list(query),

    /** flow: 1. read, If-Match 2. merge patch 3. write conditional on the version read (a race is 412 with If-Match, else 409). */
    async patch(id: string, patch: ActivityPatch, ifMatch: number | undefined, context: CommandContext): Promise<Activity> {
      const current = await load(id);
      if (ifMatch !== undefined && ifMatch !== current.version) throw new StaleVersionError(ifMatch, current.version);
      const result = await activities.save(patchActivity(current, patch, clock.now()), current, context);
      if ('saved' in result) return result.saved;
      throw ifMatch !== undefined ? new StaleVersionError(ifMatch) : new ConcurrentUpdateError();
    },
  };
}

export type ActivityUseCases = ReturnType<typeof activityUseCases>;
