import { REPORTS, type RouteSpec } from '../route-access.ts';

// The csat function's routes: its composition imports this list and no other, so its bundle holds
// only its own routes; infra/routes.ts joins every list into ROUTE_TABLE (test/infra/route-lists.test.ts).

export const SURVEY_ROUTES = [
  { method: 'GET', path: '/csat', function: 'csat', operationId: 'csatPage', access: 'public' },
  { method: 'POST', path: '/csat', function: 'csat', operationId: 'submitCsat', access: 'public', bodyTypes: ['application/x-www-form-urlencoded'] },
  { method: 'GET', path: '/reports/csat', function: 'csat', operationId: 'csatReport', access: REPORTS },
] as const satisfies readonly RouteSpec[];
