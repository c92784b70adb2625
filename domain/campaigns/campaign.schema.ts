import * as z from '#domain/shared/zod.ts';
import { ONE_LINE } from '#domain/shared/email.ts';
import { TopicId } from '#domain/consent/consent.schema.ts';

// Campaigns (issue 10): the HTTP contract. Placeholders, state moves and trigger conditions are
// checked in the campaign use cases; the shapes are here.

const OneLine = z.regex(ONE_LINE, 'must be one line, without CR, LF, tab or other control characters');
const Name = z.onFirstUse(() => z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(100), OneLine));
const Id = z.onFirstUse(() => z.string().check(z.minLength(1), z.maxLength(128)));

export const CAMPAIGN_STATUSES = ['draft', 'scheduled', 'active', 'running', 'completed', 'paused', 'cancelled'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** The domain events a triggered campaign can react to (its EventBridge rule matches one of them). */
export const TRIGGER_EVENTS = ['CustomerCreated', 'InteractionRecorded', 'CaseStatusChanged', 'ConsentConfirmed'] as const;
export type TriggerEvent = (typeof TRIGGER_EVENTS)[number];

export const HOLD_LEVELS = ['urgent', 'high', 'any'] as const;
export type HoldLevel = (typeof HOLD_LEVELS)[number];

export const Template = z.onFirstUse(() => z
  .strictObject({
    subject: z.string().check(z.trim(), z.minLength(1), z.maxLength(200), OneLine),
    text: z.string().check(z.minLength(1), z.maxLength(100_000)),
    html: z.optional(z.nullable(z.string().check(z.maxLength(200_000)))),
  })
  .register(z.globalRegistry, { id: 'CampaignTemplate' }));
export type TemplateInput = z.output<typeof Template>;

const WhereValue = z.onFirstUse(() => z.union([z.string().check(z.maxLength(200)), z.number(), z.boolean()]));
/** Conditions on the event's data: `type`, `channel`, `status`, `topic`, `data.<key>`, ... (checked per event). */
export const TriggerWhere = z.onFirstUse(() => z.record(z.string().check(z.minLength(1), z.maxLength(100)), z.union([WhereValue, z.array(WhereValue).check(z.minLength(1), z.maxLength(20))])));

export const Trigger = z.onFirstUse(() => z
  .strictObject({
    event: z.enum(TRIGGER_EVENTS),
    where: z.optional(TriggerWhere),
    delayMinutes: z.optional(z.int().check(z.gte(0), z.lte(60 * 24 * 30))),
  })
  .register(z.globalRegistry, { id: 'CampaignTrigger' }));
export type TriggerInput = z.output<typeof Trigger>;

export const FrequencyCap = z.onFirstUse(() => z
  .strictObject({ max: z.int().check(z.gte(1), z.lte(100)), perDays: z.int().check(z.gte(1), z.lte(365)) })
  .register(z.globalRegistry, { id: 'FrequencyCap' }));
export type FrequencyCap = z.output<typeof FrequencyCap>;

const Audience = z.onFirstUse(() => z.strictObject({ segmentId: Id }));
const Schedule = z.onFirstUse(() => z.strictObject({ at: z.iso.datetime({ offset: true }) }));

/** What a campaign is made of, as POST /campaigns takes it. */
const CampaignFields = z.onFirstUse(() => z.strictObject({
  name: Name,
  topic: TopicId,
  template: Template,
  audience: Audience,
  schedule: z.optional(z.nullable(Schedule)),
  trigger: z.optional(z.nullable(Trigger)),
  holdIfOpenCase: z.optional(z.nullable(z.enum(HOLD_LEVELS))),
  frequencyCap: z.optional(z.nullable(FrequencyCap)),
}));

/** POST /campaigns body. */
export const CampaignInput = CampaignFields.register(z.globalRegistry, { id: 'CampaignInput' });
export type CampaignInput = z.output<typeof CampaignInput>;

/** PATCH /campaigns/{id} body (JSON merge patch): the same fields, each optional; null clears an optional one. */
export const CampaignPatch = z.onFirstUse(() => z.partial(CampaignFields).register(z.globalRegistry, { id: 'CampaignPatch' }));
export type CampaignPatch = z.output<typeof CampaignPatch>;

export const Campaign = z.onFirstUse(() => z
  .object({
    id: z.string(),
    name: z.string(),
    topic: z.string(),
    template: z.object({ subject: z.string(), text: z.string(), html: z.nullable(z.string()) }),
    audience: z.object({ segmentId: z.string() }),
    schedule: z.nullable(z.object({ at: z.iso.datetime() })),
    trigger: z.nullable(z.object({ event: z.enum(TRIGGER_EVENTS), where: TriggerWhere, delayMinutes: z.int() })),
    holdIfOpenCase: z.nullable(z.enum(HOLD_LEVELS)),
    frequencyCap: z.nullable(z.object({ max: z.int(), perDays: z.int() })),
    status: z.enum(CAMPAIGN_STATUSES),
    /** While paused: the status that resume returns to. */
    pausedFrom: z.nullable(z.enum(CAMPAIGN_STATUSES)),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    startedAt: z.nullable(z.iso.datetime()),
    completedAt: z.nullable(z.iso.datetime()),
    version: z.int().check(z.positive()),
  })
  .register(z.globalRegistry, { id: 'Campaign' }));
export type Campaign = z.infer<typeof Campaign>;

/** POST /campaigns/{id}/schedule body: `at` overrides the campaign's schedule.at. */
export const ScheduleInput = z.onFirstUse(() => z.strictObject({ at: z.optional(z.iso.datetime({ offset: true })) }).register(z.globalRegistry, { id: 'ScheduleInput' }));

export const PreviewInput = z.onFirstUse(() => z.strictObject({ customerId: Id }).register(z.globalRegistry, { id: 'CampaignPreviewInput' }));
export const RenderedMessage = z.onFirstUse(() => z
  .object({ to: z.string(), subject: z.string(), text: z.string(), html: z.nullable(z.string()) })
  .register(z.globalRegistry, { id: 'RenderedMessage' }));
export type RenderedMessage = z.infer<typeof RenderedMessage>;

export const TestInput = z.onFirstUse(() => z
  .strictObject({ email: z.email({ error: 'must be a valid email address' }).check(z.maxLength(254), z.toLowerCase()) })
  .register(z.globalRegistry, { id: 'CampaignTestInput' }));
export const TestResult = z.onFirstUse(() => z.object({ outcome: z.literal('sent'), messageId: z.string() }).register(z.globalRegistry, { id: 'CampaignTestResult' }));

export const OUTCOMES = ['sent', 'blocked', 'held', 'capped', 'failed'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const CampaignReport = z.onFirstUse(() => z
  .object({
    targeted: z.int(),
    sent: z.int(),
    blocked: z.record(z.string(), z.int()),
    held: z.int(),
    capped: z.int(),
    failed: z.int(),
    delivered: z.int(),
    bounced: z.int(),
    complained: z.int(),
    unsubscribed: z.int(),
  })
  .register(z.globalRegistry, { id: 'CampaignReport' }));
export type CampaignReport = z.infer<typeof CampaignReport>;

export const Recipient = z.onFirstUse(() => z
  .object({ customerId: z.string(), outcome: z.enum(OUTCOMES), reason: z.nullable(z.string()), at: z.iso.datetime() })
  .register(z.globalRegistry, { id: 'CampaignRecipient' }));
export type Recipient = z.infer<typeof Recipient>;
