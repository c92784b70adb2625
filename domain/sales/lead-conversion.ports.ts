import type { CommandContext, IdempotencyClaim } from '../shared/ports.ts';
import type { Contact } from './account.schema.ts';
import type { PipelineStages } from './pipeline-stages.ts';
import type { ConversionPlan } from './lead-conversion.ts';
import type { LeadConversionResult } from './lead-conversion.schema.ts';

// What the lead conversion needs from storage (functions/sales/lead-conversion.dynamodb-store.ts).

/** A customer as a conversion sees it: writable, merged away (and where), being erased, erased, or never there. */
export type CustomerState =
  | { readonly kind: 'live' }
  | { readonly kind: 'merged'; readonly into: string }
  | { readonly kind: 'being-erased' }
  | { readonly kind: 'erased' }
  | { readonly kind: 'missing' };

/**
 * Why a conversion's transaction did not commit: the Idempotency-Key was used (`key-used`), the
 * lead's version moved, the customer changed (merged, being erased, or the new customer's email was
 * taken meanwhile), the linked account does not exist, the contact link appeared or went, or the
 * opportunity's stage left the pipeline meanwhile (`unknown-stage`).
 */
export type ConversionRefusal = 'key-used' | 'lead-moved' | 'customer-moved' | 'unknown-account' | 'contact-moved' | 'unknown-stage';

export interface LeadConversionStore {
  customerState(customerId: string): Promise<CustomerState>;
  /** The customer owning this email identity, if any. */
  customerOfEmail(email: string): Promise<string | undefined>;
  contact(accountId: string, customerId: string): Promise<Contact | undefined>;
  /** The configured pipeline: a new opportunity's default stage and probabilities. */
  pipeline(): Promise<Pick<PipelineStages, 'stages'>>;
  /** The first answer of a used Idempotency-Key; IdempotencyKeyReusedError when it came with another request. */
  replay(claim: IdempotencyClaim): Promise<LeadConversionResult | undefined>;
  /** The whole plan in ONE transaction (with the idempotency record), or why not; nothing is written then. */
  commit(plan: ConversionPlan, context: CommandContext): Promise<ConversionRefusal | undefined>;
}
