import type { OPPORTUNITY_ROUTES } from '../routes.ts';
import type { RouteSchemas } from '../topology.ts';

type OperationId = (typeof OPPORTUNITY_ROUTES)[number]['operationId'];

/** The opportunities routes' request and response schemas (issue 12). */
export const OPPORTUNITY_ROUTE_SCHEMAS: Record<OperationId, RouteSchemas> = {};
