import * as z from '#domain/shared/zod.ts';
import { Attributes, Tags } from '../customers/customer.schema.ts';
import { recordId, UserId } from './ids.schema.ts';

// Field rules for B2B accounts and their contacts (issue 12). Request validation and the OpenAPI
// document read the same schemas.

/** Company size bands (the usual CRM bands; a band, not a head count, because that is what sales teams know). */
export const ACCOUNT_SIZES = ['1-10', '11-50', '51-200', '201-1000', '1001-5000', '5000+'] as const;
export const AccountSize = z.onFirstUse(() => z.enum(ACCOUNT_SIZES));
/** A `partner` account's users (role partner) work the leads and opportunities assigned to it (domain/sales/partner.ts). */
export const AccountType = z.onFirstUse(() => z.enum(['customer', 'partner']));

const AccountName = z.onFirstUse(() => z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(200)));
/** A lowercase hostname (labels of letters, digits and hyphens, at least one dot); input is lowercased. */
export const Domain = z.onFirstUse(() => z.string().check(
  z.trim(),
  z.toLowerCase(),
  z.maxLength(253),
  z.regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/, 'must be a hostname such as example.com'),
));
const Industry = z.onFirstUse(() => z.string().check(z.trim(), z.minLength(1), z.maxLength(100)));
const AccountId = z.onFirstUse(() => recordId('account id'));

/** POST /accounts body; `ownerId` defaults to the caller. */
export const AccountInput = z.onFirstUse(() => z
  .strictObject({
    name: AccountName,
    domain: z.optional(Domain),
    industry: z.optional(Industry),
    size: z.optional(AccountSize),
    tags: z.optional(Tags),
    attributes: z.optional(Attributes),
    parentAccountId: z.optional(AccountId),
    ownerId: z.optional(UserId),
    type: z.optional(AccountType),
  })
  .register(z.globalRegistry, { id: 'AccountInput' }));
export type AccountInput = z.output<typeof AccountInput>;

const AttributesPatch = z.onFirstUse(() => z.record(z.string().check(z.minLength(1), z.maxLength(64)), z.nullable(z.union([z.string().check(z.maxLength(1000)), z.number(), z.boolean()]))));

/** PATCH /accounts/{id} (JSON merge patch): null clears an optional field, attributes merge key by key, tags replace. */
export const AccountPatch = z.onFirstUse(() => z
  .strictObject({
    name: z.optional(AccountName),
    domain: z.optional(z.nullable(Domain)),
    industry: z.optional(z.nullable(Industry)),
    size: z.optional(z.nullable(AccountSize)),
    tags: z.optional(z.nullable(Tags)),
    attributes: z.optional(z.nullable(AttributesPatch)),
    parentAccountId: z.optional(z.nullable(AccountId)),
    ownerId: z.optional(UserId),
    type: z.optional(AccountType),
  })
  .register(z.globalRegistry, { id: 'AccountPatch' }));
export type AccountPatch = z.output<typeof AccountPatch>;

export const Account = z.onFirstUse(() => z
  .object({
    id: z.string(),
    name: z.string(),
    domain: z.nullable(z.string()),
    industry: z.nullable(z.string()),
    size: z.nullable(AccountSize),
    tags: z.array(z.string()),
    attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
    parentAccountId: z.nullable(z.string()),
    ownerId: z.string(),
    type: AccountType,
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    version: z.int().check(z.positive()),
  })
  .register(z.globalRegistry, { id: 'Account' }));
export type Account = z.infer<typeof Account>;

export const ContactRole = z.onFirstUse(() => z.string().check(z.trim(), z.minLength(1), z.maxLength(100)));
/** PUT /accounts/{id}/contacts/{customerId} body. */
export const ContactInput = z.onFirstUse(() => z.strictObject({ role: ContactRole }).register(z.globalRegistry, { id: 'ContactInput' }));
export type ContactInput = z.output<typeof ContactInput>;

/** A customer's link to an account (stored in the customer's partition, so their erasure removes it). */
export const Contact = z.onFirstUse(() => z
  .object({ accountId: z.string(), customerId: z.string(), role: z.string(), addedAt: z.iso.datetime() })
  .register(z.globalRegistry, { id: 'AccountContact' }));
export type Contact = z.infer<typeof Contact>;

/** GET /customers/{id}/accounts: the account and the customer's role in it. */
export const CustomerAccount = z.onFirstUse(() => z
  .object({ account: Account, role: z.string(), addedAt: z.iso.datetime() })
  .register(z.globalRegistry, { id: 'CustomerAccount' }));
export type CustomerAccount = z.infer<typeof CustomerAccount>;

export const READ_ONLY_ACCOUNT_FIELDS = ['id', 'version', 'createdAt', 'updatedAt'];
