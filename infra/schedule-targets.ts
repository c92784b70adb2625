import type { ScheduleTarget } from '#domain/shared/ports.ts';

/**
 * The functions one-off schedules may invoke: the scheduler's role may invoke exactly these, and
 * every function with `Access.schedules` gets their ARNs (SCHEDULE_TARGET_ARNS). A module of its own
 * (re-exported by infra/routes.ts): functions/shared/config.ts reads it at cold start, and
 * infra/routes.ts is kept off the cold path.
 */
export const SCHEDULE_TARGETS = ['campaignStarter', 'campaignTrigger', 'scheduledErasure', 'csatSurveys', 'activityReminders'] as const satisfies readonly ScheduleTarget[];
