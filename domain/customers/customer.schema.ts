import * as z from 'zod';
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

export const Email = z.email({ error: 'must be a valid email address' }).max(254).toLowerCase();
const Name = z.string().trim().min(1, 'must not be empty').max(100);
export const Phone = z.string().regex(/^\+[1-9]\d{1,14}$/, 'must be an E.164 number such as +4915112345678');
export const Locale = z.string().max(35).refine(isLocale, 'must be a BCP 47 language tag such as en-GB');
export const TimeZone = z.string().max(64).refine(isTimeZone, 'must be an IANA time zone such as Europe/Berlin');
const AttributeKey = z.string().min(1).max(64);
const AttributeValue = z.union([z.string().max(1000), z.number(), z.boolean()]);
export const Attributes = z
  .record(AttributeKey, AttributeValue)
  .refine((a) => Object.keys(a).length <= MAX_ATTRIBUTES, `at most ${MAX_ATTRIBUTES} attributes`);
export const Tag = z.string().trim().min(1).max(64);
export const Tags = z
  .array(Tag)
  .max(MAX_TAGS, `at most ${MAX_TAGS} tags`)
  .transform((tags) => [...new Set(tags)]);

/** POST /customers body. */
export const CreateCustomerInput = z
  .strictObject({
    email: Email,
    firstName: Name.optional(),
    lastName: Name.optional(),
    phone: Phone.optional(),
    locale: Locale.optional(),
    timezone: TimeZone.optional(),
    attributes: Attributes.optional(),
    tags: Tags.optional(),
  })
  .meta({ id: 'CreateCustomer' });
export type CreateCustomerInput = z.output<typeof CreateCustomerInput>;

/**
 * PATCH /customers/{id} body (JSON merge patch, RFC 7396): null clears an optional field,
 * `attributes` merges key by key (null removes a key), `tags` replaces the list.
 */
export const CustomerPatch = z
  .strictObject({
    email: Email.optional(),
    firstName: Name.nullable().optional(),
    lastName: Name.nullable().optional(),
    phone: Phone.nullable().optional(),
    locale: Locale.nullable().optional(),
    timezone: TimeZone.nullable().optional(),
    attributes: z.record(AttributeKey, AttributeValue.nullable()).nullable().optional(),
    tags: Tags.nullable().optional(),
  })
  .meta({ id: 'CustomerPatch' });
export type CustomerPatch = z.output<typeof CustomerPatch>;

/** Fields a caller may never set; named so the error says why instead of "unrecognized key". */
export const READ_ONLY_FIELDS = ['id', 'version', 'createdAt', 'updatedAt'] as const;

export const Customer = z
  .object({
    id: z.string(),
    email: z.string(),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    phone: z.string().nullable(),
    locale: z.string().nullable(),
    timezone: z.string().nullable(),
    attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
    tags: z.array(z.string()),
    stats: CustomerStats,
    /** Set on a customer merged into another; such a record answers reads and refuses writes. */
    mergedInto: z.string().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    version: z.number().int().positive(),
  })
  .meta({ id: 'Customer' });

/** The stored customer: the API view plus the revision that guards concurrent stats updates. */
export type Customer = z.infer<typeof Customer> & { statsRevision: number };

/** What GET answers for a customer that was merged into another. */
export const MergedCustomer = z
  .object({
    id: z.string(),
    mergedInto: z.string(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    version: z.number().int().positive(),
  })
  .meta({ id: 'MergedCustomer' });
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
export const MergeInput = z.strictObject({ sourceId: z.string().min(1).max(128) }).meta({ id: 'MergeInput' });
