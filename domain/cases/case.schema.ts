import * as z from '#domain/shared/zod.ts';
import { Email, Tags } from '../customers/customer.schema.ts';
import { Channel } from '../customers/interaction.schema.ts';

// Cases (issue 4): enquiries from any channel, answered and escalated on exact SLA timers.

export const CASE_STATUSES = ['open', 'pending', 'on_hold', 'solved', 'closed'] as const;
export const CaseStatus = z.onFirstUse(() => z.enum(CASE_STATUSES));
export type CaseStatus = z.infer<typeof CaseStatus>;

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const Priority = z.onFirstUse(() => z.enum(PRIORITIES));
export type Priority = z.infer<typeof Priority>;

export const MILESTONES = ['firstResponse', 'resolution'] as const;
export const Milestone = z.onFirstUse(() => z.enum(MILESTONES));
export type Milestone = z.infer<typeof Milestone>;

export const QueueName = z.onFirstUse(() => z.string().check(z.regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be 1-64 lowercase letters, digits, - or _')));
const Subject = z.onFirstUse(() => z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(200)));

export const CreateCaseInput = z.onFirstUse(() => z
  .strictObject({
    customerId: z.string().check(z.minLength(1), z.maxLength(128)),
    subject: Subject,
    description: z.optional(z.string().check(z.maxLength(10_000))),
    priority: z._default(Priority, 'normal'),
    channel: Channel,
    queue: z._default(QueueName, 'general'),
    tags: z.optional(Tags),
  })
  .register(z.globalRegistry, { id: 'CreateCase' }));
export type CreateCaseInput = z.output<typeof CreateCaseInput>;

export const CasePatch = z.onFirstUse(() => z
  .strictObject({
    subject: z.optional(Subject),
    priority: z.optional(Priority),
    queue: z.optional(QueueName),
    tags: z.optional(Tags),
    status: z.optional(CaseStatus),
  })
  .register(z.globalRegistry, { id: 'CasePatch' }));
export type CasePatch = z.output<typeof CasePatch>;

/** Without `visibility` a comment is internal: only a deliberate `public` reaches the customer. */
export const CommentInput = z.onFirstUse(() => z
  .strictObject({
    body: z.string().check(z.trim(), z.minLength(1), z.maxLength(10_000)),
    visibility: z._default(z.enum(['public', 'internal']), 'internal'),
    /** Published knowledge-base articles to link (issue 11): a public comment's body then ends with their public URLs. */
    articleIds: z.optional(z.array(z.string().check(z.regex(/^[A-Za-z0-9_-]{1,128}$/, 'must be an article id'))).check(z.minLength(1), z.maxLength(5))),
  })
  .register(z.globalRegistry, { id: 'CommentInput' }));
export type CommentInput = z.output<typeof CommentInput>;

export const AssignInput = z.onFirstUse(() => z
  .union([z.strictObject({ assigneeId: z.nullable(z.string().check(z.minLength(1), z.maxLength(128))) }), z.strictObject({ auto: z.literal(true) })])
  .register(z.globalRegistry, { id: 'AssignInput' }));
export type AssignInput = z.output<typeof AssignInput>;

export const QueueInput = z.onFirstUse(() => z
  .strictObject({
    members: z._default(z.array(z.string().check(z.minLength(1), z.maxLength(128))).check(z.maxLength(200)), []),
    managers: z._default(z.array(Email).check(z.maxLength(50)), []),
    escalateTo: z.optional(z.nullable(QueueName)),
  })
  .register(z.globalRegistry, { id: 'QueueInput' }));
export type QueueInput = z.output<typeof QueueInput>;

export const Queue = z.onFirstUse(() => z
  .object({ name: z.string(), members: z.array(z.string()), managers: z.array(z.string()), escalateTo: z.nullable(z.string()), updatedAt: z.iso.datetime() })
  .register(z.globalRegistry, { id: 'Queue' }));
export type Queue = z.infer<typeof Queue>;

/** A missed milestone: `at` is when it was detected; `escalated` once the escalation ran for it. */
export const Breach = z.onFirstUse(() => z.object({ milestone: Milestone, at: z.iso.datetime(), dueAt: z.iso.datetime(), escalated: z.boolean() }));
export type Breach = z.infer<typeof Breach>;

export const CaseSla = z.onFirstUse(() => z.object({
  policyVersion: z.int(),
  /** The priority whose targets the due times follow (an escalation raises the case's priority, not its targets). */
  priority: Priority,
  firstResponseDueAt: z.iso.datetime(),
  resolutionDueAt: z.iso.datetime(),
  pausedSince: z.nullable(z.iso.datetime()),
  /** Working minutes the resolution clock stood still (pending / on hold). */
  pausedMinutes: z.number(),
  breaches: z.array(Breach),
  /** Milestones whose warning has gone out (the assignee is told once). */
  warned: z.array(Milestone),
}));
export type CaseSla = z.infer<typeof CaseSla>;

/** The customer's answer to the case's satisfaction survey (issue 11; the last answer counts). */
export const Satisfaction = z.onFirstUse(() => z.object({ score: z.int().check(z.gte(1), z.lte(5)), comment: z.nullable(z.string()), ratedAt: z.iso.datetime() }));
export type Satisfaction = z.infer<typeof Satisfaction>;

export const Case = z.onFirstUse(() => z
  .object({
    id: z.string(),
    number: z.string(),
    customerId: z.string(),
    subject: z.string(),
    description: z.nullable(z.string()),
    status: CaseStatus,
    priority: Priority,
    channel: Channel,
    queue: z.string(),
    assigneeId: z.nullable(z.string()),
    tags: z.array(z.string()),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    firstRespondedAt: z.nullable(z.iso.datetime()),
    solvedAt: z.nullable(z.iso.datetime()),
    closedAt: z.nullable(z.iso.datetime()),
    escalationLevel: z.int(),
    sla: CaseSla,
    /** The satisfaction survey's answer (null until the customer answers one). */
    satisfaction: z.nullable(Satisfaction),
    version: z.int().check(z.positive()),
  })
  .register(z.globalRegistry, { id: 'Case' }));
export type Case = z.infer<typeof Case>;

/** A knowledge-base article linked to a comment: its title and public URL as they were when linked. */
export const CommentArticle = z.onFirstUse(() => z.object({ id: z.string(), title: z.string(), url: z.string() }).register(z.globalRegistry, { id: 'CommentArticle' }));
export type CommentArticle = z.infer<typeof CommentArticle>;

export const Comment = z.onFirstUse(() => z
  .object({
    id: z.string(),
    caseId: z.string(),
    body: z.string(),
    visibility: z.enum(['public', 'internal']),
    authorId: z.string(),
    authorType: z.enum(['staff', 'customer']),
    createdAt: z.iso.datetime(),
    /** Linked knowledge-base articles with their public URLs (issue 11; [] on comments without). */
    articles: z.array(CommentArticle),
  })
  .register(z.globalRegistry, { id: 'Comment' }));
export type Comment = z.infer<typeof Comment>;

export const CASE_PREFIX = 'CASE-';
export const formatCaseNumber = (n: number) => `${CASE_PREFIX}${n}`;
