import { UsageQuery, UsageReport } from '#domain/operations/usage.schema.ts';
import type { RouteSchemas } from '../topology.ts';

/** Operations (issue 14): the measured usage and its estimated cost. */
export const OPERATIONS_ROUTE_SCHEMAS = {
  getUsage: {
    summary: 'Units each context consumed per UTC day (DynamoDB request units, events, emails, invocations, GB-seconds) and their estimated cost at the configured price table',
    query: UsageQuery,
    responses: { 200: { description: 'Usage and estimated cost, per context and day and in total', schema: UsageReport } },
  },
} satisfies Record<'getUsage', RouteSchemas>;
