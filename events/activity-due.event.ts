import * as z from '#domain/shared/zod.ts';
import { defineEvent } from './define-event.ts';

/** An open activity reached its dueAt (ids only: consumers read the activity if they need more). */
export const ActivityDue = defineEvent({
  source: 'crm.sales',
  detailType: 'ActivityDue',
  version: 1,
  data: z.onFirstUse(() => z.strictObject({ activityId: z.string(), ownerId: z.string(), dueAt: z.string() })),
});
