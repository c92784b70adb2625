import * as z from '#domain/shared/zod.ts';
import { StorableNumber } from '#domain/shared/json-value.ts';
import { CustomerStats } from './stats.ts';

// Field rules for customer profiles (issue 2). Used for request validation and for the
// OpenAPI document, so the contract and the checks cannot disagree.

export const MAX_ATTRIBUTES = 50;
export const MAX_TAGS = 50;

const isLocale = (value: string) => {
  try {
    return Intl.getCanonicalLocales(value).length === 1;
  } catch {
    return false;
  }
};

const isTimeZone = (value: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
};

export const Email = z.onFirstUse(() => z.email({ error: 'must be a valid email address' }).check(z.maxLength(254), z.toLowerCase()));
const Name = z.onFirstUse(() => z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(100)));
export const Phone = z.onFirstUse(() => z.string().check(z.regex(/^\+[1-9]\d{1,14}$/, 'must be an E.164 number such as +4915112345678')));
export const Locale = z.onFirstUse(() => z.string().check(z.maxLength(35), z.refine(isLocale, 'must be a BCP 47 language tag such as en-GB')));
export const TimeZone = z.onFirstUse(() => z.string().check(z.maxLength(64), z.refine(isTimeZone, 'must be an IANA time zone such as Europe/Berlin')));
const AttributeKey = z.onFirstUse(() => z.string().check(z.minLength(1), z.maxLength(64)));
const AttributeValue = z.onFirstUse(() => z.union([z.string().check(z.maxLength(1000)), StorableNumber, z.boolean()]));
export const Attributes = z.onFirstUse(() => z
  .record(AttributeKey, AttributeValue)
  .check(z.refine((a) => Object.keys(a).length <= MAX_ATTRIBUTES, `at most ${MAX_ATTRIBUTES} attributes`)));
export const Tag = z.onFirstUse(() => z.string().check(z.trim(), z.minLength(1), z.maxLength(64)));
const TagList = z.onFirstUse(() => z.array(Tag).check(z.maxLength(MAX_TAGS, `at most ${MAX_TAGS} tags`)));
export const Tags = z.onFirstUse(() => z.pipe(TagList, z.transform((tags) => [...new Set(tags)])));

/** POST /customers body. */
export const CreateCustomerInput = z.onFirstUse(() => z
  .strictObject({
    email: Email,
    firstName: z.optional(Name),
    lastName: z.optional(Name),
    phone: z.optional(Phone),
    locale: z.optional(Locale),
    timezone: z.optional(TimeZone),
    attributes: z.optional(Attributes),
    tags: z.optional(Tags),
  })
  .register(z.globalRegistry, { id: 'CreateCustomer' }));
export type CreateCustomerInput = z.output<typeof CreateCustomerInput>;

const AttributesPatch = z.onFirstUse(() => z.record(AttributeKey, z.nullable(AttributeValue)));

/**
 * PATCH /customers/{id} body (JSON merge patch, RFC 7396): null clears an optional field,
 * `attributes` merges key by key (null removes a key), `tags` replaces the list.
 */
export const CustomerPatch = z.onFirstUse(() => z
  .strictObject({
    email: z.optional(Email),
    firstName: z.optional(z.nullable(Name)),
    lastName: z.optional(z.nullable(Name)),
    phone: z.optional(z.nullable(Phone)),
    locale: z.optional(z.nullable(Locale)),
    timezone: z.optional(z.nullable(TimeZone)),
    attributes: z.optional(z.nullable(AttributesPatch)),
    tags: z.optional(z.nullable(Tags)),
  })
  .register(z.globalRegistry, { id: 'CustomerPatch' }));
export type CustomerPatch = z.output<typeof CustomerPatch>;

/** Fields a caller may never set; named so the error says why instead of "unrecognized key". */
export const READ_ONLY_FIELDS = ['id', 'version', 'createdAt', 'updatedAt'] as const;

export const Customer = z.onFirstUse(() => z
  .object({
    id: z.string(),
    email: z.string(),
    firstName: z.nullable(z.string()),
    lastName: z.nullable(z.string()),
    phone: z.nullable(z.string()),
    locale: z.nullable(z.string()),
    timezone: z.nullable(z.string()),
    attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
    tags: z.array(z.string()),
    stats: CustomerStats,
    /** Set on a customer merged into another; such a record answers reads and refuses writes. */
    mergedInto: z.nullable(z.string()),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    version: z.int().check(z.positive()),
  })
  .register(z.globalRegistry, { id: 'Customer' }));

/** The stored customer: the API view plus the revision that guards concurrent stats updates. */
export type Customer = z.infer<typeof Customer> & { statsRevision: number };

/** What GET answers for a customer that was merged into another. */
export const MergedCustomer = z.onFirstUse(() => z
  .object({
    id: z.string(),
    mergedInto: z.string(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    version: z.int().check(z.positive()),
  })
  .register(z.globalRegistry, { id: 'MergedCustomer' }));
export type MergedCustomer = z.infer<typeof MergedCustomer>;

/** Optional profile fields: a merge patch clears them with null, a merge fills them from the source. */
export const NULLABLE_FIELDS = ['firstName', 'lastName', 'phone', 'locale', 'timezone'] as const;

export const MUTABLE_FIELDS = [
  'email',
  'firstName',
  'lastName',
  'phone',
  'locale',
  'timezone',
  'attributes',
  'tags',
] as const satisfies readonly (keyof Customer)[];
export type MutableField = (typeof MUTABLE_FIELDS)[number];

/** POST /customers/{id}/merge body. */
export const MergeInput = z.onFirstUse(() => z
  .strictObject({ sourceId: z.string().check(z.minLength(1), z.maxLength(128)) })
  .register(z.globalRegistry, { id: 'MergeInput' }));
