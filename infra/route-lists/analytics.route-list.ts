import { concatRoutes, type Role, type RouteSpec, STAFF_READ } from '../route-access.ts';

// The analytics function's routes: its composition imports this list and no other, so its bundle holds
// only its own routes; infra/routes.ts joins every list into ROUTE_TABLE (test/infra/route-lists.test.ts).

/** Analytics (issue 13): fits and models for admins and managers; a customer's scores for staff who read customers. */
const ANALYTICS_MODELS: Role[] = ['admin', 'manager'];
export const ANALYTICS_ROUTES = [
  { method: 'POST', path: '/analytics/models/clv/fit', function: 'analytics', operationId: 'fitClvModel', access: ANALYTICS_MODELS },
  { method: 'GET', path: '/analytics/jobs/{id}', function: 'analytics', operationId: 'getAnalyticsJob', access: ANALYTICS_MODELS },
  { method: 'GET', path: '/analytics/models/clv', function: 'analytics', operationId: 'getClvModel', access: ANALYTICS_MODELS },
  { method: 'GET', path: '/customers/{id}/scores', function: 'analytics', operationId: 'getCustomerScores', access: STAFF_READ },
] as const satisfies readonly RouteSpec[];
/** The warehouse cube (issue 13): fixed measures over the exported Parquet, for admins and managers. */
export const ANALYTICS_CUBE_ROUTES = [
  { method: 'GET', path: '/reports/cube', function: 'analytics', operationId: 'getCube', access: ANALYTICS_MODELS },
] as const satisfies readonly RouteSpec[];
/** Analytics clusters (issue 13): marketers build segments on them, so they read them too. */
export const ANALYTICS_CLUSTER_ROUTES = [
  { method: 'GET', path: '/analytics/clusters', function: 'analytics', operationId: 'getCustomerClusters', access: ['admin', 'manager', 'marketer'] },
] as const satisfies readonly RouteSpec[];

/** The analytics forecasts part (issue 13): daily case volume per queue, for staffing. */
export const ANALYTICS_FORECAST_ROUTES = [
  { method: 'GET', path: '/analytics/forecasts/cases', function: 'analytics', operationId: 'forecastCaseVolume', access: ANALYTICS_MODELS },
] as const satisfies readonly RouteSpec[];

/** The analytics function's whole list: every part's routes. */
export const ANALYTICS_FUNCTION_ROUTES = /* @__PURE__ */ concatRoutes(ANALYTICS_ROUTES, ANALYTICS_CUBE_ROUTES, ANALYTICS_CLUSTER_ROUTES, ANALYTICS_FORECAST_ROUTES);
