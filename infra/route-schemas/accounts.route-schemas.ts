import type { ACCOUNT_ROUTES } from '../routes.ts';
import type { RouteSchemas } from '../topology.ts';

type OperationId = (typeof ACCOUNT_ROUTES)[number]['operationId'];

/** The account routes' request and response schemas (issue 12). */
export const ACCOUNT_ROUTE_SCHEMAS: Record<OperationId, RouteSchemas> = {};
