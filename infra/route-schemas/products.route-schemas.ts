import type { PRODUCT_ROUTES } from '../routes.ts';
import type { RouteSchemas } from '../topology.ts';

type OperationId = (typeof PRODUCT_ROUTES)[number]['operationId'];

/** The product routes' request and response schemas (issue 12). */
export const PRODUCT_ROUTE_SCHEMAS: Record<OperationId, RouteSchemas> = {};
