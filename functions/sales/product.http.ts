import * as z from '#domain/shared/zod.ts';
import { ProductNotFoundError } from '#domain/sales/product.use-cases.ts';
import { ProductCategory, Sku } from '#domain/sales/product.schema.ts';
import type { HttpRequest } from '../shared/http-app.ts';
import { Cursor, Limit, wholeNumber } from '../shared/query.ts';

// Query strings and path parameters of the product routes (the OpenAPI document and the handlers read the same schemas).

const Flag = z.onFirstUse(() => z.pipe(z.enum(['true', 'false']), z.transform((v) => v === 'true')));

export const ProductListQuery = z.onFirstUse(() => z.strictObject({
  category: z.optional(ProductCategory),
  active: z.optional(Flag),
  limit: z.optional(Limit),
  cursor: z.optional(Cursor),
}));

export const MAX_RECOMMENDATIONS = 20;
export const DEFAULT_RECOMMENDATIONS = 5;

export const RecommendationQuery = z.onFirstUse(() => z.strictObject({ limit: z.optional(wholeNumber(MAX_RECOMMENDATIONS, DEFAULT_RECOMMENDATIONS)) }));

/** The `{sku}` of a product route; anything that cannot be a sku is simply not found. */
export function skuParam(request: HttpRequest): string {
  const sku = request.params.sku ?? '';
  if (!Sku.safeParse(sku).success) throw new ProductNotFoundError(sku);
  return sku;
}
