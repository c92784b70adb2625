import * as z from '#domain/shared/zod.ts';
import { AccountInput } from './account.schema.ts';
import { Lead } from './lead.schema.ts';
import { Opportunity, OpportunityInput } from './opportunity.schema.ts';

// POST /leads/{id}/convert (issue 12): the body and the answer. The opportunity's fields are the
// POST /opportunities body's own (minus accountId: the conversion decides the account), so the two
// routes cannot disagree on what an opportunity is.

/** The opportunity a conversion opens on the account it links or creates. */
export const ConversionOpportunity = z.onFirstUse(() => z.omit(OpportunityInput, { accountId: true }).register(z.globalRegistry, { id: 'LeadConversionOpportunity' }));
export type ConversionOpportunity = z.output<typeof ConversionOpportunity>;

/**
 * `accountId` links an existing account; `accountName` creates a new one; neither creates one named
 * after the lead's company. Not both (400).
 */
export const LeadConversionInput = z.onFirstUse(() => z
  .strictObject({
    accountId: z.optional(OpportunityInput.shape.accountId),
    accountName: z.optional(AccountInput.shape.name),
    opportunity: z.optional(ConversionOpportunity),
  })
  .register(z.globalRegistry, { id: 'LeadConversion' }));
export type LeadConversionInput = z.output<typeof LeadConversionInput>;

/** What a conversion made of the lead: the customer and account it created or linked, the opportunity it opened. */
export const ConversionRef = z.onFirstUse(() => z.object({ id: z.string(), created: z.boolean() }));

export const LeadConversionResult = z.onFirstUse(() => z
  .object({
    lead: Lead,
    customer: ConversionRef,
    account: ConversionRef,
    opportunity: z.nullable(Opportunity),
  })
  .register(z.globalRegistry, { id: 'LeadConversionResult' }));
export type LeadConversionResult = z.output<typeof LeadConversionResult>;
