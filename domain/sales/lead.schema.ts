import * as z from '#domain/shared/zod.ts';
import { Email } from '../customers/customer.schema.ts';
import { recordId, UserId } from './ids.schema.ts';

// Lead bodies and the lead as the API shows it (issue 12).

export const LEAD_STATUSES = ['new', 'working', 'qualified', 'disqualified', 'converted'] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];
/** The statuses a PATCH may name (`converted` is reached only by POST /leads/{id}/convert). */
export const PATCHABLE_STATUSES = ['new', 'working', 'qualified', 'disqualified'] as const;

const Name = z.onFirstUse(() => z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(100)));
const Company = z.onFirstUse(() => z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(200)));
/** Where the lead came from: a free label such as `web-form`, `trade-fair`, `referral`. */
const Source = z.onFirstUse(() => z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(64)));
const RefId = z.onFirstUse(() => recordId());
const Notes = z.onFirstUse(() => z.string().check(z.maxLength(4000)));
const TopicId = z.onFirstUse(() => z.string().check(z.minLength(1), z.maxLength(64)));

/** POST /leads body (staff). */
/** The fields a lead arrives with, by staff or through the public form. */
const ARRIVING = {
  email: Email,
  firstName: z.onFirstUse(() => z.optional(Name)),
  lastName: z.onFirstUse(() => z.optional(Name)),
  company: z.onFirstUse(() => z.optional(Company)),
  source: Source,
  campaignId: z.onFirstUse(() => z.optional(RefId)),
};

export const LeadInput = z.onFirstUse(() => z
  .strictObject({
    ...ARRIVING,
    notes: z.optional(Notes),
    ownerId: z.optional(UserId),
    /** The partner account the lead is assigned to (an account of type partner); a partner user's registration is its own. */
    partnerAccountId: z.optional(z.nullable(RefId)),
  })
  .register(z.globalRegistry, { id: 'LeadInput' }));
export type LeadInput = z.output<typeof LeadInput>;

/**
 * POST /leads/capture body (the public web form, JSON or form-encoded). `consents` are the ticked
 * checkboxes (topic ids); `website` is the honeypot: hidden from people, so only a bot fills it.
 */
export const LeadCaptureInput = z.onFirstUse(() => z
  .strictObject({
    ...ARRIVING,
    consents: z.optional(z.array(TopicId).check(z.maxLength(20))),
    website: z.optional(z.string().check(z.maxLength(1000))),
  })
  .register(z.globalRegistry, { id: 'LeadCapture' }));
export type LeadCaptureInput = z.output<typeof LeadCaptureInput>;

/** PATCH /leads/{id} body (JSON merge patch: null clears an optional field). */
export const LeadPatch = z.onFirstUse(() => z
  .strictObject({
    status: z.optional(z.enum(PATCHABLE_STATUSES)),
    ownerId: z.optional(z.nullable(UserId)),
    notes: z.optional(z.nullable(Notes)),
    firstName: z.optional(z.nullable(Name)),
    lastName: z.optional(z.nullable(Name)),
    company: z.optional(z.nullable(Company)),
    /** Assign to a partner account (type partner), or null to unassign (staff only). */
    partnerAccountId: z.optional(z.nullable(RefId)),
  })
  .register(z.globalRegistry, { id: 'LeadPatch' }));
export type LeadPatch = z.output<typeof LeadPatch>;

/** What a conversion made of the lead (POST /leads/{id}/convert): null until it is converted. */
export const LeadConversionRefs = z.onFirstUse(() => z.strictObject({ customerId: z.string(), accountId: z.string(), opportunityId: z.nullable(z.string()) }));
export type LeadConversionRefs = z.output<typeof LeadConversionRefs>;

export const Lead = z.onFirstUse(() => z
  .strictObject({
    id: z.string(),
    email: z.string(),
    firstName: z.nullable(z.string()),
    lastName: z.nullable(z.string()),
    company: z.nullable(z.string()),
    source: z.string(),
    campaignId: z.nullable(z.string()),
    notes: z.nullable(z.string()),
    ownerId: z.nullable(z.string()),
    status: z.enum(LEAD_STATUSES),
    /** The customer whose email identity matches (linked, not duplicated), if any. */
    customerId: z.nullable(z.string()),
    /** The partner account the lead is assigned to (its partner users see and work it), or null. */
    partnerAccountId: z.nullable(z.string()),
    /** When POST /leads/{id}/convert converted it, and what it became (`conversion`); null before. */
    convertedAt: z.nullable(z.string()),
    conversion: z.nullable(LeadConversionRefs),
    /** How often the web form sent this person while the lead was open (1 for a staff-created lead). */
    captures: z.int(),
    createdAt: z.string(),
    updatedAt: z.string(),
    version: z.int(),
  })
  .register(z.globalRegistry, { id: 'Lead' }));
export type Lead = z.output<typeof Lead>;
