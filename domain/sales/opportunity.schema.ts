import * as z from '#domain/shared/zod.ts';
import { Money } from '#domain/customers/interaction.schema.ts';
import { StageId } from './pipeline-stages.ts';
import { Sku } from './product.schema.ts';
import { recordId, UserId } from './ids.schema.ts';

// Opportunities (issue 12): field rules. Request validation and the OpenAPI document read the same schemas.

/** A stage: one of the configured open stages (pipeline-stages.ts), `won` or `lost`; the configuration decides which exist (422 unknown-stage). */
export const Stage = StageId;
export type Stage = z.infer<typeof Stage>;
/** Where an opportunity may start: any stage but the final ones (refused at parse, so no route gets as far as a use case with it). */
const OpenStage = StageId.check(z.refine((stage) => stage !== 'won' && stage !== 'lost', 'must be an open stage (not won or lost)'));

const Name = z.onFirstUse(() => z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(200)));
const Amount = Money.shape.amount.check(z.gte(0, 'must not be negative'));
const Probability = z.onFirstUse(() => z.int().check(z.gte(0), z.lte(100)));
const AccountId = z.onFirstUse(() => recordId('account id'));
const LostReason = z.onFirstUse(() => z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(1000)));

export const OpportunityProduct = z.onFirstUse(() => z.strictObject({ sku: Sku, quantity: z.int().check(z.gte(1), z.lte(1_000_000)), unitPrice: Amount }));
export type OpportunityProduct = z.infer<typeof OpportunityProduct>;
const Products = z.onFirstUse(() => z.array(OpportunityProduct).check(z.maxLength(100)));

/** POST /opportunities: an opportunity starts in an open stage (the pipeline's first by default); probability defaults to the stage's, ownerId to the caller. */
export const OpportunityInput = z.onFirstUse(() => z
  .strictObject({
    accountId: AccountId,
    name: Name,
    amount: Amount,
    currency: Money.shape.currency,
    stage: z.optional(OpenStage),
    probability: z.optional(Probability),
    closeDate: z.iso.date(),
    ownerId: z.optional(UserId),
    /** The partner account the opportunity is assigned to (an account of type partner), or none. */
    partnerAccountId: z.optional(z.nullable(AccountId)),
    products: z.optional(Products),
  })
  .register(z.globalRegistry, { id: 'OpportunityInput' }));
export type OpportunityInput = z.output<typeof OpportunityInput>;

/** PATCH /opportunities/{id} (JSON merge patch). A stage change without probability takes the stage's default; won or lost without closeDate closes today. */
export const OpportunityPatch = z.onFirstUse(() => z
  .strictObject({
    name: z.optional(Name),
    amount: z.optional(Amount),
    currency: z.optional(Money.shape.currency),
    stage: z.optional(Stage),
    probability: z.optional(Probability),
    closeDate: z.optional(z.iso.date()),
    ownerId: z.optional(UserId),
    /** Assign to a partner account (type partner), or null to unassign (staff only). */
    partnerAccountId: z.optional(z.nullable(AccountId)),
    products: z.optional(z.nullable(Products)),
    lostReason: z.optional(z.nullable(LostReason)),
  })
  .register(z.globalRegistry, { id: 'OpportunityPatch' }));
export type OpportunityPatch = z.output<typeof OpportunityPatch>;

export const StageChange = z.onFirstUse(() => z.object({ stage: Stage, at: z.iso.datetime() }));

export const Opportunity = z.onFirstUse(() => z
  .object({
    id: z.string(),
    accountId: z.string(),
    name: z.string(),
    amount: z.number(),
    currency: z.string(),
    stage: Stage,
    probability: z.int(),
    closeDate: z.string(),
    ownerId: z.string(),
    /** The partner account the opportunity is assigned to (its partner users see and work it), or null. */
    partnerAccountId: z.nullable(z.string()),
    products: z.array(OpportunityProduct),
    stageHistory: z.array(StageChange),
    lostReason: z.nullable(z.string()),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    version: z.int().check(z.positive()),
  })
  .register(z.globalRegistry, { id: 'Opportunity' }));
export type Opportunity = z.infer<typeof Opportunity>;

export const READ_ONLY_OPPORTUNITY_FIELDS = ['id', 'accountId', 'stageHistory', 'createdAt', 'updatedAt', 'version'];
