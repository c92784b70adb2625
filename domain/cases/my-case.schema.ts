import * as z from '#domain/shared/zod.ts';
import { CaseStatus } from './case.schema.ts';
import { Channel } from '../customers/interaction.schema.ts';

// Self-service (issue 11): a customer's own cases as they see them under /me/cases: no queue,
// assignee, tags, SLA timers or internal comments.

/** POST /me/cases: opens a case on channel web for the token's customer (queue general, priority normal). */
export const MyCaseInput = z.onFirstUse(() => z
  .strictObject({
    subject: z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(200)),
    description: z.optional(z.string().check(z.maxLength(10_000))),
  })
  .register(z.globalRegistry, { id: 'MyCaseInput' }));
export type MyCaseInput = z.output<typeof MyCaseInput>;

/** POST /me/cases/{id}/comments: always public (a customer has no internal comments). */
export const MyCommentInput = z.onFirstUse(() => z
  .strictObject({ body: z.string().check(z.trim(), z.minLength(1), z.maxLength(10_000)) })
  .register(z.globalRegistry, { id: 'MyCommentInput' }));
export type MyCommentInput = z.output<typeof MyCommentInput>;

export const MyCase = z.onFirstUse(() => z
  .object({
    id: z.string(),
    number: z.string(),
    subject: z.string(),
    description: z.nullable(z.string()),
    status: CaseStatus,
    channel: Channel,
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    solvedAt: z.nullable(z.iso.datetime()),
    closedAt: z.nullable(z.iso.datetime()),
  })
  .register(z.globalRegistry, { id: 'MyCase' }));
export type MyCase = z.infer<typeof MyCase>;

/** A public comment as the customer reads it: who wrote it is `you` or `support`, never a staff id. */
export const MyComment = z.onFirstUse(() => z
  .object({
    id: z.string(),
    caseId: z.string(),
    body: z.string(),
    authorType: z.enum(['staff', 'customer']),
    createdAt: z.iso.datetime(),
  })
  .register(z.globalRegistry, { id: 'MyComment' }));
export type MyComment = z.infer<typeof MyComment>;
