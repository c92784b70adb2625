import * as z from '#domain/shared/zod.ts';
import { storableJson } from '#domain/shared/json-value.ts';

// Interactions (issue 3): anything a customer did or was told, on any channel, on one timeline.

export const CHANNELS = ['web', 'email', 'phone', 'chat', 'social', 'store', 'mobile'] as const;
export const Channel = z.onFirstUse(() => z.enum(CHANNELS));
export type Channel = z.infer<typeof Channel>;

export const MAX_DATA_BYTES = 8 * 1024;
/** An interaction may be stamped at most this far in the future (clock skew of devices). */
export const MAX_FUTURE_MS = 5 * 60 * 1000;

const Currency = z.onFirstUse(() => z.string().check(z.regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR')));
const Amount = z.onFirstUse(() => z
  .number()
  .check(z.gte(-1e12), z.lte(1e12), z.refine((n) => Math.abs(Math.round(n * 1e4) - n * 1e4) < 1e-6, 'at most 4 decimal places')));
export const Money = z.onFirstUse(() => z.strictObject({
  amount: Amount,
  currency: Currency.check(z.refine((c) => KNOWN_CURRENCIES.has(c), 'is not an ISO 4217 currency')),
}));
export type Money = z.infer<typeof Money>;

/**
 * Any JSON value, named so that the OpenAPI document refers to it (`JsonValue`) instead of
 * inlining a self-referencing union that generated clients cannot compile. Built at import, not
 * on first use (z.onFirstUse): z.json() refers to itself inside, to the object it built rather than
 * to a stand-in, so only that object can carry the id.
 */
export const JsonValue = z.json().register(z.globalRegistry, { id: 'JsonValue', description: 'Any JSON value: object, array, string, number, boolean or null' });

const Data = z.onFirstUse(() =>
  storableJson(
    z
      .record(z.string(), JsonValue)
      .check(
        z.refine((d) => new TextEncoder().encode(JSON.stringify(d)).length <= MAX_DATA_BYTES, `must be at most ${MAX_DATA_BYTES} bytes as JSON`),
      ),
  ),
);

/** Fields of an interaction as a caller sends them. */
export const interactionFields = {
  channel: Channel,
  type: z.onFirstUse(() => z.string().check(z.trim(), z.minLength(1), z.maxLength(64))),
  direction: z.onFirstUse(() => z.optional(z.enum(['inbound', 'outbound']))),
  occurredAt: z.onFirstUse(() => z.optional(z.iso.datetime({ offset: true }))),
  summary: z.onFirstUse(() => z.optional(z.string().check(z.maxLength(1000)))),
  data: z.onFirstUse(() => z.optional(Data)),
  value: z.onFirstUse(() => z.optional(Money)),
};

/** POST /customers/{id}/interactions */
export const InteractionInput = z.onFirstUse(() => z.strictObject(interactionFields).register(z.globalRegistry, { id: 'InteractionInput' }));
export type InteractionInput = z.output<typeof InteractionInput>;

/** One item of POST /interactions: names its person by exactly one of the three keys. */
export const BatchItem = z.onFirstUse(() => z
  .strictObject({
    customerId: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
    email: z.optional(z.email().check(z.maxLength(254), z.toLowerCase())),
    anonymousId: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
    ...interactionFields,
  })
  .check(
    z.refine((i) => [i.customerId, i.email, i.anonymousId].filter((v) => v !== undefined).length === 1, {
      message: 'name the person by exactly one of customerId, email, anonymousId',
      path: ['customerId'],
    }),
  ));
export type BatchItem = z.output<typeof BatchItem>;

export const MAX_BATCH = 25;
/** POST /interactions; items are validated one by one so one bad item does not sink the batch. */
export const BatchInput = z.onFirstUse(() => z
  .strictObject({ items: z.array(z.unknown()).check(z.minLength(1), z.maxLength(MAX_BATCH)) })
  .register(z.globalRegistry, { id: 'InteractionBatch' }));

/**
 * Timeline entries: interactions, and what other contexts add (cases, public comments, consents,
 * emails, sales activities). `opportunity` entries appear only on account timelines (issue 12).
 */
export const TIMELINE_KINDS = ['interaction', 'case', 'case_comment', 'consent', 'email', 'activity', 'opportunity'] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export const Interaction = z.onFirstUse(() => z
  .object({
    kind: z.enum(TIMELINE_KINDS),
    id: z.string(),
    customerId: z.nullable(z.string()),
    anonymousId: z.nullable(z.string()),
    channel: Channel,
    type: z.string(),
    direction: z.nullable(z.enum(['inbound', 'outbound'])),
    occurredAt: z.iso.datetime(),
    recordedAt: z.iso.datetime(),
    summary: z.nullable(z.string()),
    data: z.record(z.string(), JsonValue),
    value: z.nullable(Money),
  })
  .register(z.globalRegistry, { id: 'Interaction' }));
export type Interaction = z.infer<typeof Interaction>;

// ISO 4217 active codes (2024). Kept here so validation needs no network and no ICU quirks.
const KNOWN_CURRENCIES = new Set(
  (
    'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD BTN BWP BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST XAF XAG XAU XBA XBB XBC XBD XCD XCG XDR XOF XPD XPF XPT XSU XTS XUA XXX YER ZAR ZMW ZWG ZWL'
  ).split(' '),
);
