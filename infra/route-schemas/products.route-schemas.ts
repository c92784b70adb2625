import { Product, ProductInput, RecommendationList } from '#domain/sales/product.schema.ts';
import { ProductListQuery, RecommendationQuery } from '#functions/sales/product.http.ts';
import type { PRODUCT_ROUTES } from '../routes.ts';
import type { RouteSchemas } from '../topology.ts';
import { pageOf } from './page.ts';

type OperationId = (typeof PRODUCT_ROUTES)[number]['operationId'];

/** The product routes' request and response schemas (issue 12). */
export const PRODUCT_ROUTE_SCHEMAS: Record<OperationId, RouteSchemas> = {
  putProduct: {
    summary: 'Create or replace a product by sku (If-Match, when given, must name the current version)',
    body: ProductInput,
    responses: {
      200: { description: 'Replaced', schema: Product, etag: true },
      201: { description: 'Created', schema: Product, etag: true, location: true },
      412: { description: 'If-Match is stale' },
    },
  },
  listProducts: {
    summary: 'Products by sku (active ones first), of a category and/or by active flag',
    query: ProductListQuery,
    responses: { 200: { description: 'A page of products', schema: pageOf(Product) } },
  },
  getProduct: {
    summary: 'A product',
    responses: { 200: { description: 'The product', schema: Product, etag: true } },
  },
  getRecommendations: {
    summary:
      "Next-best products for a customer: item-to-item co-occurrence over all customers' purchases (lift); a customer with no purchases gets the best sellers of the segments it is in now, then the most popular overall",
    query: RecommendationQuery,
    responses: { 200: { description: 'Recommendations, best first', schema: RecommendationList } },
  },
  getAccountRecommendations: {
    summary:
      'Next-best products for an account as one buyer: co-occurrence over what any of its first 50 contacts owns, excluding what any of them owns; none owned (or no contacts): the best sellers of the segments its contacts are in, then the most popular overall',
    query: RecommendationQuery,
    responses: { 200: { description: 'Recommendations, best first', schema: RecommendationList } },
  },
};
