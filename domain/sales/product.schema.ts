import * as z from '#domain/shared/zod.ts';
import { Money } from '#domain/customers/interaction.schema.ts';

// Products (issue 12): the catalogue that purchases and recommendations name by sku.

/** A sku is the product's path id: letters, digits, `_`, `-` and `.`, up to 64 characters. */
export const Sku = z.onFirstUse(() => z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be 1-64 letters, digits, _ . or - (starting with a letter or digit)')));
export type Sku = z.infer<typeof Sku>;

export const ProductCategory = z.onFirstUse(() => z.string().check(z.regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be 1-64 lower-case letters, digits, _ or -')));

/** PUT /products/{sku}: the whole product (creates or replaces it). */
export const ProductInput = z.onFirstUse(() => z
  .strictObject({
    name: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
    category: ProductCategory,
    price: Money.shape.amount.check(z.gte(0, 'must not be negative')),
    currency: Money.shape.currency,
    active: z.boolean(),
  })
  .register(z.globalRegistry, { id: 'ProductInput' }));
export type ProductInput = z.infer<typeof ProductInput>;

export const Product = z.onFirstUse(() => z
  .object({
    sku: Sku,
    name: z.string(),
    category: z.string(),
    price: z.number(),
    currency: z.string(),
    active: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
    version: z.int(),
  })
  .register(z.globalRegistry, { id: 'Product' }));
export type Product = z.infer<typeof Product>;

export const RecommendationReason = z.onFirstUse(() => z.union([
  z.strictObject({ kind: z.literal('bought_with'), sku: z.string() }),
  z.strictObject({ kind: z.literal('popular') }),
  z.strictObject({ kind: z.literal('popular_in_segment'), segmentId: z.string() }),
]));
export type RecommendationReason = z.infer<typeof RecommendationReason>;

/**
 * One next-best product. bought_with: score is the lift of the rule "owns reason.sku -> buys sku",
 * support and confidence that rule's; popular: score, support and confidence are the share of
 * customers with a purchase who own it, lift 1 (no evidence beyond popularity);
 * popular_in_segment (a customer or account that owns nothing yet, in segment reason.segmentId):
 * score, support and confidence are the product's share of the purchases segment members made
 * since the segment exists, lift 1.
 */
export const Recommendation = z.onFirstUse(() => z
  .object({
    sku: z.string(),
    name: z.string(),
    score: z.number(),
    reason: RecommendationReason,
    support: z.number(),
    confidence: z.number(),
    lift: z.number(),
  })
  .register(z.globalRegistry, { id: 'Recommendation' }));
export type Recommendation = z.infer<typeof Recommendation>;

export const RecommendationList = z.onFirstUse(() => z.object({ items: z.array(Recommendation) }));
