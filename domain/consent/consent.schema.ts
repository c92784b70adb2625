import * as z from 'zod';


// Consent-first email (issue 5): topics, the append-only consent ledger, suppression.

export const TopicId = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be 1-64 lowercase letters, digits, - or _');

export const Topic = z
  .strictObject({
    id: TopicId,
    name: z.string().trim().min(1).max(100),
    description: z.string().max(1000).default(''),
    purpose: z.enum(['marketing', 'service']),
  })
  .meta({ id: 'Topic' });
export type Topic = z.output<typeof Topic>;

export const TopicsInput = z
  .array(Topic)
  .max(1000)
  .refine((topics) => new Set(topics.map((t) => t.id)).size === topics.length, 'topic ids must be unique')
  .meta({ id: 'Topics' });

export const CONSENT_ACTIONS = ['requested', 'confirmed', 'granted', 'withdrawn', 'suppressed'] as const;
export const CONSENT_SOURCES = ['api', 'form', 'import', 'unsubscribe_link', 'preference_center', 'ses_feedback'] as const;
export const LEGAL_BASES = ['consent', 'legitimate_interest', 'contract'] as const;
export const CONSENT_STATES = ['none', 'pending', 'subscribed', 'unsubscribed'] as const;
export type ConsentState = (typeof CONSENT_STATES)[number];

export const LedgerEntry = z
  .object({
    id: z.string(),
    customerId: z.string(),
    topic: z.string(),
    action: z.enum(CONSENT_ACTIONS),
    source: z.enum(CONSENT_SOURCES),
    at: z.iso.datetime(),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    textVersion: z.string().nullable(),
    legalBasis: z.enum(LEGAL_BASES).nullable(),
    proof: z.string().nullable(),
  })
  .meta({ id: 'ConsentLedgerEntry' });
export type LedgerEntry = z.infer<typeof LedgerEntry>;

export const TopicState = z.object({ topic: z.string(), state: z.enum(CONSENT_STATES), updatedAt: z.iso.datetime().nullable() }).meta({ id: 'TopicState' });
export type TopicState = z.infer<typeof TopicState>;

const Ip = z.union([z.ipv4(), z.ipv6()]);

export const ConsentCommand = z
  .discriminatedUnion('action', [
    z.strictObject({
      topic: TopicId,
      action: z.literal('request'),
      source: z.enum(CONSENT_SOURCES).default('api'),
      ip: Ip.optional(),
      userAgent: z.string().max(512).optional(),
      textVersion: z.string().max(128).optional(),
    }),
    z.strictObject({
      topic: TopicId,
      action: z.literal('grant'),
      source: z.enum(CONSENT_SOURCES).default('import'),
      legalBasis: z.enum(LEGAL_BASES),
      proof: z.string().min(1).max(512),
      ip: Ip.optional(),
      userAgent: z.string().max(512).optional(),
      textVersion: z.string().max(128).optional(),
    }),
    z.strictObject({
      topic: TopicId,
      action: z.literal('withdraw'),
      source: z.enum(CONSENT_SOURCES).default('api'),
      ip: Ip.optional(),
      userAgent: z.string().max(512).optional(),
    }),
  ])
  .meta({ id: 'ConsentCommand' });
export type ConsentCommand = z.output<typeof ConsentCommand>;

export const PreferencesInput = z.strictObject({ topics: z.record(TopicId, z.boolean()) }).meta({ id: 'Preferences' });

export const Suppression = z
  .object({ email: z.string(), reason: z.enum(['bounce', 'complaint', 'manual']), at: z.iso.datetime(), detail: z.string().nullable() })
  .meta({ id: 'Suppression' });
export type Suppression = z.infer<typeof Suppression>;

export const MarketingEmailInput = z
  .strictObject({ topic: TopicId, subject: z.string().trim().min(1).max(200), text: z.string().min(1).max(100_000), html: z.string().max(200_000).optional() })
  .meta({ id: 'MarketingEmail' });
export type MarketingEmailInput = z.output<typeof MarketingEmailInput>;

export const EmailOutcome = z
  .union([
    z.object({ outcome: z.literal('sent'), messageId: z.string() }),
    z.object({ outcome: z.literal('blocked'), reason: z.enum(['no_consent', 'suppressed', 'erased']) }),
  ])
  .meta({ id: 'EmailOutcome' });
export type EmailOutcome = z.infer<typeof EmailOutcome>;


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
