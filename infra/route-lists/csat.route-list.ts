import { REPORTS, type RouteSpec } from '../route-access.ts';

export const SURVEY_ROUTES = [
  { method: 'GET', path: '/csat', function: 'csat', operationId: 'csatPage', access: 'public' },
  { method: 'POST', path: '/csat', function: 'csat', operationId: 'submitCsat', access: 'public', bodyTypes: ['application/x-www-form-urlencoded'] },
  { method: 'GET', path: '/reports/csat', function: 'csat', operationId: 'csatReport', access: REPORTS },
] as const satisfies readonly RouteSpec[];
