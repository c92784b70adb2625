import { CASE_READ, CASE_WORK, CONFIGURE, CUSTOMER, REPORTS, type RouteSpec } from '../route-access.ts';

// The cases function's routes: its composition imports this list and no other, so its bundle holds
// only its own routes; infra/routes.ts joins every list into ROUTE_TABLE (test/infra/route-lists.test.ts).

export const CASE_ROUTES = [
  {
    method: 'POST',
    path: '/cases',
    function: 'cases',
    operationId: 'openCase',
    access: CASE_WORK,
    idempotent: true,
  },
  {
    method: 'GET',
    path: '/cases',
    function: 'cases',
    operationId: 'listCases',
    access: CASE_WORK,
  },
  {
    method: 'GET',
    path: '/cases/{id}',
    function: 'cases',
    operationId: 'getCase',
    access: CASE_READ,
  },
  {
    method: 'PATCH',
    path: '/cases/{id}',
    function: 'cases',
    operationId: 'patchCase',
    access: CASE_WORK,
    bodyTypes: ['application/merge-patch+json'],
  },
  {
    method: 'POST',
    path: '/cases/{id}/comments',
    function: 'cases',
    operationId: 'addComment',
    access: CASE_WORK,
    idempotent: true,
  },
  {
    method: 'GET',
    path: '/cases/{id}/comments',
    function: 'cases',
    operationId: 'listComments',
    access: CASE_READ,
  },
  {
    method: 'POST',
    path: '/cases/{id}/assign',
    function: 'cases',
    operationId: 'assignCase',
    access: CASE_WORK,
  },
  {
    method: 'PUT',
    path: '/queues/{name}',
    function: 'cases',
    operationId: 'putQueue',
    access: CONFIGURE,
  },
  {
    method: 'GET',
    path: '/queues/{name}',
    function: 'cases',
    operationId: 'getQueue',
    access: CASE_WORK,
  },
  {
    method: 'GET',
    path: '/sla-policy',
    function: 'cases',
    operationId: 'getSlaPolicy',
    access: CASE_WORK,
  },
  {
    method: 'PUT',
    path: '/sla-policy',
    function: 'cases',
    operationId: 'putSlaPolicy',
    access: CONFIGURE,
  },
  {
    method: 'GET',
    path: '/reports/sla',
    function: 'cases',
    operationId: 'slaReport',
    access: REPORTS,
  },
  // Self-service: the customer's own cases; public comments only.
  { method: 'GET', path: '/me/cases', function: 'cases', operationId: 'listMyCases', access: CUSTOMER },
  { method: 'POST', path: '/me/cases', function: 'cases', operationId: 'openMyCase', access: CUSTOMER, idempotent: true },
  { method: 'GET', path: '/me/cases/{id}', function: 'cases', operationId: 'getMyCase', access: CUSTOMER },
  { method: 'GET', path: '/me/cases/{id}/comments', function: 'cases', operationId: 'listMyComments', access: CUSTOMER },
  { method: 'POST', path: '/me/cases/{id}/comments', function: 'cases', operationId: 'addMyComment', access: CUSTOMER, idempotent: true },
  { method: 'POST', path: '/me/cases/{id}/close', function: 'cases', operationId: 'closeMyCase', access: CUSTOMER },
] as const satisfies readonly RouteSpec[];
