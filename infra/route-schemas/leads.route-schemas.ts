import type { LEAD_ROUTES } from '../routes.ts';
import type { RouteSchemas } from '../topology.ts';

type OperationId = (typeof LEAD_ROUTES)[number]['operationId'];

/** The lead routes' request and response schemas (issue 12). */
export const LEAD_ROUTE_SCHEMAS: Record<OperationId, RouteSchemas> = {};
