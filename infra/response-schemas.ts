import * as z from '#domain/shared/zod.ts';
import type { SlaReport as SlaReportShape } from '#domain/cases/case-counters.ts';
import { CONSENT_STATES } from '#domain/consent/consent.schema.ts';
import { Customer, MergedCustomer } from '#domain/customers/customer.schema.ts';
import { Identity } from '#domain/customers/identity.ts';
import { Interaction } from '#domain/customers/interaction.schema.ts';
import { Lead } from '#domain/sales/lead.schema.ts';
import { PROBLEM_TITLES, type ProblemCode, problemType } from '#functions/shared/problem.ts';

// Schemas of answers that only the OpenAPI document needs (handlers build these bodies from
// domain types; loading the schemas would cost every Lambda cold start for nothing).

const FieldIssue = z.object({ path: z.string(), message: z.string() });

const PROBLEM_TYPES = (Object.keys(PROBLEM_TITLES) as ProblemCode[]).map(problemType);

/** RFC 9457 problem details; `type` names the cause (see PROBLEM_TITLES in functions/shared/problem.ts). */
export const Problem = z
  .object({
    type: z.enum(PROBLEM_TYPES as [string, ...string[]]),
    title: z.string(),
    status: z.int(),
    detail: z.string(),
    errors: z.optional(z.array(FieldIssue)),
  })
  .register(z.globalRegistry, {
    id: 'Problem',
    description: `Problem details (RFC 9457). \`type\` names the cause: ${(Object.entries(PROBLEM_TITLES) as [ProblemCode, string][])
      .map(([code, title]) => `\`${problemType(code)}\` (${title})`)
      .join(', ')}.`,
  });

/** What API Gateway itself answers (401 from the JWT authorizer, 413, 429, and 500 when a function fails). */
export const GatewayMessage = z.object({ message: z.string() }).register(z.globalRegistry, {
  id: 'GatewayMessage',
  description: 'An answer from API Gateway itself, in its own format (not problem+json).',
});

export const InteractionBatchResult = z
  .object({
    items: z.array(
      z.union([
        z.object({ index: z.int(), status: z.literal('created'), id: z.string(), customerId: z.nullable(z.string()) }),
        z.object({ index: z.int(), status: z.literal('error'), error: Problem }),
      ]),
    ),
  })
  .register(z.globalRegistry, { id: 'InteractionBatchResult' });

export const CustomerExport = z
  .object({
    exportedAt: z.iso.datetime(),
    customer: z.union([Customer, MergedCustomer]),
    identities: z.array(Identity),
    /** The B2B accounts the person is a contact of (sales). */
    accounts: z.array(z.object({ accountId: z.string(), name: z.string(), role: z.string(), addedAt: z.iso.datetime() })),
    /** The skus the person owns (sales: from their purchases). */
    ownedProducts: z.array(z.string()),
    /**
     * The person's sales leads (linked to them or to a profile merged into them, or entered under
     * one of their email addresses before they became a customer), oldest first.
     */
    leads: z.array(z.omit(Lead, { ownerId: true, customerId: true, partnerAccountId: true, convertedAt: true, conversion: true, version: true })),
    interactions: z.array(Interaction),
    cases: z.array(Interaction),
    consents: z.array(Interaction),
    emails: z.array(Interaction),
  })
  .register(z.globalRegistry, { id: 'CustomerExport' });

const Percent = z.nullable(z.number().check(z.gte(0), z.lte(100)));
const Minutes = z.nullable(z.int().check(z.gte(0)));
export const SlaReport = z
  .object({
    opened: z.int(),
    solved: z.int(),
    firstResponseMetPercent: Percent,
    resolutionMetPercent: Percent,
    medianFirstResponseMinutes: Minutes,
    medianResolutionMinutes: Minutes,
    breachedOpen: z.int(),
    breaches: z.int(),
    days: z.array(
      z.object({
        day: z.string(),
        opened: z.int(),
        solved: z.int(),
        firstResponseMetPercent: Percent,
        resolutionMetPercent: Percent,
        breaches: z.int(),
      }),
    ),
  })
  .register(z.globalRegistry, { id: 'SlaReport' });
// The handler returns the domain's SlaReport: the documented shape must be exactly that.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _slaReportIsTheDomainShape: Same<z.infer<typeof SlaReport>, SlaReportShape> = true;
void _slaReportIsTheDomainShape;

export const ConsentResult = z
  .object({ topic: z.string(), state: z.enum(CONSENT_STATES), confirmation: z.optional(z.enum(['queued', 'not_needed'])) })
  .register(z.globalRegistry, { id: 'ConsentResult' });

export const OpenApiDocument = z.looseObject({ openapi: z.string(), info: z.looseObject({}), paths: z.looseObject({}) });

/** The link in an email: a signed token. */
export const LinkQuery = z.strictObject({ token: z.string().check(z.minLength(1)) });

/** The opt-in page's form: the token (it may come in the query instead). */
export const OptInForm = z.object({ token: z.optional(z.string()) });

/** RFC 8058 one-click (`List-Unsubscribe=One-Click`), the page's second button (`scope=all`), or one topic of the preference page. */
export const UnsubscribeForm = z
  .object({ 'List-Unsubscribe': z.optional(z.literal('One-Click')), scope: z.optional(z.literal('all')), topic: z.optional(z.string()) })
  .register(z.globalRegistry, { id: 'UnsubscribeForm' });
