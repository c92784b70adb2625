import { CONFIGURE, type RouteSpec } from '../route-access.ts';

// The docs function's routes: its composition imports this list and no other, so its bundle holds
// only its own routes; infra/routes.ts joins every list into ROUTE_TABLE (test/infra/route-lists.test.ts).

export const DOCS_ROUTES = [
  {
    method: 'GET',
    path: '/openapi.json',
    function: 'docs',
    operationId: 'getOpenApi',
    access: 'public',
  },
  // Metering (issue 14): the small docs function serves the usage figures too (no new function).
  { method: 'GET', path: '/usage', function: 'docs', operationId: 'getUsage', access: CONFIGURE },
] as const satisfies readonly RouteSpec[];
