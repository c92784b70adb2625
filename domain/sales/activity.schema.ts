import * as z from '#domain/shared/zod.ts';
import { recordId, UserId } from './ids.schema.ts';

// Field rules for sales activities (issue 12): calls, meetings, tasks and emails a salesperson
// owns. Request validation and the OpenAPI document read the same schemas.

export const ActivityType = z.onFirstUse(() => z.enum(['call', 'meeting', 'task', 'email']));
const Subject = z.onFirstUse(() => z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(200)));
const RefId = z.onFirstUse(() => recordId());

/** POST /activities body. The related ids are stored as given (a link, not a checked reference). */
export const ActivityInput = z.onFirstUse(() => z
  .strictObject({
    type: ActivityType,
    subject: Subject,
    dueAt: z.optional(z.iso.datetime()),
    customerId: z.optional(RefId),
    accountId: z.optional(RefId),
    opportunityId: z.optional(RefId),
    ownerId: UserId,
  })
  .register(z.globalRegistry, { id: 'ActivityInput' }));
export type ActivityInput = z.output<typeof ActivityInput>;

/** PATCH /activities/{id} (JSON merge patch): null clears dueAt; `completed: true` completes it (again is a no-op). */
export const ActivityPatch = z.onFirstUse(() => z
  .strictObject({
    subject: z.optional(Subject),
    dueAt: z.optional(z.nullable(z.iso.datetime())),
    ownerId: z.optional(UserId),
    completed: z.optional(z.literal(true)),
  })
  .register(z.globalRegistry, { id: 'ActivityPatch' }));
export type ActivityPatch = z.output<typeof ActivityPatch>;

export const Activity = z.onFirstUse(() => z
  .object({
    id: z.string(),
    type: ActivityType,
    subject: z.string(),
    dueAt: z.nullable(z.iso.datetime()),
    customerId: z.nullable(z.string()),
    accountId: z.nullable(z.string()),
    opportunityId: z.nullable(z.string()),
    ownerId: z.string(),
    completedAt: z.nullable(z.iso.datetime()),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    version: z.int().check(z.positive()),
  })
  .register(z.globalRegistry, { id: 'Activity' }));
export type Activity = z.infer<typeof Activity>;

export const READ_ONLY_ACTIVITY_FIELDS = ['id', 'version', 'createdAt', 'updatedAt', 'completedAt'];
