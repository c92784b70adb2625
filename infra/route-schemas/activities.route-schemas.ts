import type { ACTIVITY_ROUTES } from '../routes.ts';
import type { RouteSchemas } from '../topology.ts';

type OperationId = (typeof ACTIVITY_ROUTES)[number]['operationId'];

/** The activities routes' request and response schemas (issue 12). */
export const ACTIVITY_ROUTE_SCHEMAS: Record<OperationId, RouteSchemas> = {};
