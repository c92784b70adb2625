import { activityUseCases } from '#domain/sales/activity.use-cases.ts';
import type { Clock, IdGenerator } from '#domain/shared/ports.ts';
import * as z from '#domain/shared/zod.ts';
import type { Db } from '../shared/db.ts';
import { dynamoActivityRepository } from './activity.dynamodb-repository.ts';

// The activityReminders function: the target of an activity's one-off schedule `activity-<id>`,
// invoked at its dueAt with the bare input the sales function scheduled. A thrown error makes
// Scheduler retry the delivery; the once-marker keeps a retried one from recording twice.

const Fired = z.strictObject({ activityId: z.string().check(z.minLength(1), z.maxLength(128)), dueAt: z.iso.datetime() });

type Reminders = Pick<ReturnType<typeof activityUseCases>, 'remind'>;

/** The use cases the function needs (the Lambda and the local runtime build them alike); it schedules nothing itself. */
export function activityRemindersFor(infra: Db & { ids: IdGenerator; clock: Clock }): Reminders {
  const none = () => Promise.reject(new Error('activityReminders schedules nothing'));
  return activityUseCases({ activities: dynamoActivityRepository(infra), clock: infra.clock, ids: infra.ids, schedules: { at: none, cancel: none } });
}

export function activityRemindersHandler(reminders: Reminders) {
  return async (input: unknown) => {
    const { activityId, dueAt } = Fired.parse(input);
    const outcome = await reminders.remind(activityId, dueAt, { correlationId: `activity-${activityId}` });
    // Ids and the outcome only.
    console.log(JSON.stringify({ level: 'info', message: 'activity reminder', activityId, outcome }));
    return { outcome };
  };
}
