import * as z from '#domain/shared/zod.ts';
import { ONE_LINE } from '#domain/shared/email.ts';


// Consent-first email (issue 5): topics, the append-only consent ledger, suppression.

/** Text that ends up in an email header (subject): one line, no control characters. */
const OneLine = z.regex(ONE_LINE, 'must be one line, without CR, LF, tab or other control characters');

export const TopicId = z.onFirstUse(() => z.string().check(z.regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be 1-64 lowercase letters, digits, - or _')));

export const Topic = z.onFirstUse(() => z
  .strictObject({
    id: TopicId,
    name: z.string().check(z.trim(), z.minLength(1), z.maxLength(100), OneLine),
    description: z._default(z.string().check(z.maxLength(1000)), ''),
    purpose: z.enum(['marketing', 'service']),
  })
  .register(z.globalRegistry, { id: 'Topic' }));
export type Topic = z.output<typeof Topic>;

export const TopicsInput = z.onFirstUse(() => z
  .array(Topic)
  .check(
    z.maxLength(1000),
    z.refine((topics) => new Set(topics.map((t) => t.id)).size === topics.length, 'topic ids must be unique'),
  )
  .register(z.globalRegistry, { id: 'Topics' }));

export const CONSENT_ACTIONS = ['requested', 'confirmed', 'granted', 'withdrawn', 'suppressed'] as const;
export const CONSENT_SOURCES = ['api', 'form', 'import', 'unsubscribe_link', 'preference_center', 'ses_feedback'] as const;
export const LEGAL_BASES = ['consent', 'legitimate_interest', 'contract'] as const;
export const CONSENT_STATES = ['none', 'pending', 'subscribed', 'unsubscribed'] as const;
export type ConsentState = (typeof CONSENT_STATES)[number];

export const LedgerEntry = z.onFirstUse(() => z
  .object({
    id: z.string(),
    customerId: z.string(),
    topic: z.string(),
    action: z.enum(CONSENT_ACTIONS),
    source: z.enum(CONSENT_SOURCES),
    at: z.iso.datetime(),
    ip: z.nullable(z.string()),
    userAgent: z.nullable(z.string()),
    textVersion: z.nullable(z.string()),
    legalBasis: z.nullable(z.enum(LEGAL_BASES)),
    proof: z.nullable(z.string()),
  })
  .register(z.globalRegistry, { id: 'ConsentLedgerEntry' }));
export type LedgerEntry = z.infer<typeof LedgerEntry>;

export const TopicState = z.onFirstUse(() => z
  .object({ topic: z.string(), state: z.enum(CONSENT_STATES), updatedAt: z.nullable(z.iso.datetime()) })
  .register(z.globalRegistry, { id: 'TopicState' }));
export type TopicState = z.infer<typeof TopicState>;

const Ip = z.onFirstUse(() => z.union([z.ipv4(), z.ipv6()]));

/** Where a consent command came from, `fallback` when the caller does not say. */
const sourceOr = (fallback: (typeof CONSENT_SOURCES)[number]) => z._default(z.enum(CONSENT_SOURCES), fallback);
/** Optional free text of at most `max` characters. */
const optionalText = (max: number) => z.optional(z.string().check(z.maxLength(max)));

export const ConsentCommand = z.onFirstUse(() => z
  .discriminatedUnion('action', [
    z.strictObject({
      topic: TopicId,
      action: z.literal('request'),
      source: sourceOr('api'),
      ip: z.optional(Ip),
      userAgent: optionalText(512),
      textVersion: optionalText(128),
    }),
    z.strictObject({
      topic: TopicId,
      action: z.literal('grant'),
      source: sourceOr('import'),
      legalBasis: z.enum(LEGAL_BASES),
      proof: z.string().check(z.minLength(1), z.maxLength(512)),
      ip: z.optional(Ip),
      userAgent: optionalText(512),
      textVersion: optionalText(128),
    }),
    z.strictObject({
      topic: TopicId,
      action: z.literal('withdraw'),
      source: sourceOr('api'),
      ip: z.optional(Ip),
      userAgent: optionalText(512),
    }),
  ])
  .register(z.globalRegistry, { id: 'ConsentCommand' }));
export type ConsentCommand = z.output<typeof ConsentCommand>;

export const PreferencesInput = z.onFirstUse(() => z.strictObject({ topics: z.record(TopicId, z.boolean()) }).register(z.globalRegistry, { id: 'Preferences' }));

export const Suppression = z.onFirstUse(() => z
  .object({ email: z.string(), reason: z.enum(['bounce', 'complaint', 'manual']), at: z.iso.datetime(), detail: z.nullable(z.string()) })
  .register(z.globalRegistry, { id: 'Suppression' }));
export type Suppression = z.infer<typeof Suppression>;

export const MarketingEmailInput = z.onFirstUse(() => z
  .strictObject({
    topic: TopicId,
    subject: z.string().check(z.trim(), z.minLength(1), z.maxLength(200), OneLine),
    text: z.string().check(z.minLength(1), z.maxLength(100_000)),
    html: optionalText(200_000),
  })
  .register(z.globalRegistry, { id: 'MarketingEmail' }));
export type MarketingEmailInput = z.output<typeof MarketingEmailInput>;

export const EmailOutcome = z.onFirstUse(() => z
  .union([
    z.object({ outcome: z.literal('sent'), messageId: z.string() }),
    z.object({ outcome: z.literal('blocked'), reason: z.enum(['no_consent', 'suppressed', 'erased']) }),
  ])
  .register(z.globalRegistry, { id: 'EmailOutcome' }));
export type EmailOutcome = z.infer<typeof EmailOutcome>;

/** A topic's state among a customer's states (`none` while it has never been set). */
export function topicState(states: readonly TopicState[], topicId: string): ConsentState {
  return states.find((s) => s.topic === topicId)?.state ?? 'none';
}

/** The proof (the request's id) of the newest opt-in request of a topic in a ledger: the one link that confirms. */
export function latestRequestProof(ledger: readonly LedgerEntry[], topicId: string): string | null | undefined {
  return ledger.filter((e) => e.topic === topicId && e.action === 'requested').at(-1)?.proof;
}

/** Current state of a topic from its ledger entries (oldest first). */
export function stateOf(entries: readonly Pick<LedgerEntry, 'action'>[]): ConsentState {
  let state: ConsentState = 'none';
  for (const { action } of entries) {
    if (action === 'requested') state = state === 'subscribed' ? 'subscribed' : 'pending';
    else if (action === 'confirmed' || action === 'granted') state = 'subscribed';
    else state = 'unsubscribed';
  }
  return state;
}
