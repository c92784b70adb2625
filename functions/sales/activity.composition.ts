import { activityUseCases } from '#domain/sales/activity.use-cases.ts';
import type { Clock, IdGenerator } from '#domain/shared/ports.ts';
import type { Db } from '../shared/db.ts';
import { dynamoActivityRepository } from './activity.dynamodb-repository.ts';

/**
 * The activities use cases for the event and schedule consumers (activityReminders, leadErasure):
 * they record and scrub, they never schedule (only the sales function moves reminder schedules).
 */
export function unscheduledActivitiesFor(infra: Db & { ids: IdGenerator; clock: Clock }) {
  const none = () => Promise.reject(new Error('this function schedules nothing'));
  return activityUseCases({ activities: dynamoActivityRepository(infra), clock: infra.clock, ids: infra.ids, schedules: { at: none, cancel: none } });
}
