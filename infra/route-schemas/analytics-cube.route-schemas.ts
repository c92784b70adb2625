import { CubeAnswer, CubeQueryParams, CubeQueryRunning } from '#domain/analytics/cube.schema.ts';
import type { ANALYTICS_CUBE_ROUTES } from '../routes.ts';
import type { RouteSchemas } from '../topology.ts';

type OperationId = (typeof ANALYTICS_CUBE_ROUTES)[number]['operationId'];

/** The cube's request and response schemas (issue 13). */
export const ANALYTICS_CUBE_ROUTE_SCHEMAS: Record<OperationId, RouteSchemas> = {
  getCube: {
    summary:
      'One fixed measure of the warehouse by chosen dimensions over days [from, to] (at most 366): interactions, revenue, cases, campaignFunnel, consents, opportunities. DuckDB locally, Athena on AWS; callers never send SQL',
    query: CubeQueryParams,
    responses: {
      200: { description: 'The rows', schema: CubeAnswer },
      202: { description: 'Athena is still running the query: ask again with the same query and queryId (Location) after Retry-After seconds', schema: CubeQueryRunning, location: true, retryAfter: true },
      400: { description: 'Unknown measure, dimension or filter, a bad value, or more than 366 days' },
      404: { description: 'No query with this queryId for this measure, dimensions, filters and days' },
      422: { description: "The query would scan more than the workgroup's per-query limit (cube-query-too-large)" },
    },
  },
};
