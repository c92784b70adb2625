import { CUSTOMER, DATA_PROTECTION, type RouteSpec, STAFF_READ, STAFF_WRITE } from '../route-access.ts';

// The customers function's routes: its composition imports this list and no other, so its bundle holds
// only its own routes; infra/routes.ts joins every list into ROUTE_TABLE (test/infra/route-lists.test.ts).

export const CUSTOMER_ROUTES = [
  {
    method: 'POST',
    path: '/customers',
    function: 'customers',
    operationId: 'createCustomer',
    access: STAFF_WRITE,
    idempotent: true,
  },
  {
    method: 'GET',
    path: '/customers',
    function: 'customers',
    operationId: 'listCustomers',
    access: STAFF_READ,
  },
  {
    method: 'GET',
    path: '/customers/{id}',
    function: 'customers',
    operationId: 'getCustomer',
    access: STAFF_READ,
  },
  {
    method: 'PATCH',
    path: '/customers/{id}',
    function: 'customers',
    operationId: 'patchCustomer',
    access: STAFF_WRITE,
    bodyTypes: ['application/merge-patch+json'],
  },
  {
    method: 'DELETE',
    path: '/customers/{id}',
    function: 'customers',
    operationId: 'deleteCustomer',
    access: DATA_PROTECTION,
  },
  {
    method: 'POST',
    path: '/customers/{id}/interactions',
    function: 'customers',
    operationId: 'recordInteraction',
    access: STAFF_WRITE,
    idempotent: true,
  },
  {
    method: 'POST',
    path: '/interactions',
    function: 'customers',
    operationId: 'recordInteractions',
    access: STAFF_WRITE,
    idempotent: true,
  },
  {
    method: 'GET',
    path: '/customers/{id}/timeline',
    function: 'customers',
    operationId: 'getTimeline',
    access: STAFF_READ,
  },
  {
    method: 'POST',
    path: '/customers/{id}/identities',
    function: 'customers',
    operationId: 'linkIdentity',
    access: STAFF_WRITE,
  },
  {
    method: 'GET',
    path: '/customers/{id}/identities',
    function: 'customers',
    operationId: 'listIdentities',
    access: STAFF_READ,
  },
  {
    method: 'POST',
    path: '/customers/{id}/merge',
    function: 'customers',
    operationId: 'mergeCustomers',
    access: STAFF_WRITE,
  },
  {
    method: 'GET',
    path: '/customers/{id}/export',
    function: 'customers',
    operationId: 'exportCustomer',
    access: DATA_PROTECTION,
  },
  // Self-service: the customer's own profile (role customer, bound to custom:customerId).
  { method: 'GET', path: '/me', function: 'customers', operationId: 'getMe', access: CUSTOMER },
  { method: 'PATCH', path: '/me', function: 'customers', operationId: 'patchMe', access: CUSTOMER, bodyTypes: ['application/merge-patch+json'] },
  { method: 'GET', path: '/me/timeline', function: 'customers', operationId: 'getMyTimeline', access: CUSTOMER },
  { method: 'GET', path: '/me/export', function: 'customers', operationId: 'exportMe', access: CUSTOMER },
  { method: 'DELETE', path: '/me', function: 'customers', operationId: 'requestErasure', access: CUSTOMER },
  { method: 'GET', path: '/me/erasure', function: 'customers', operationId: 'getMyErasure', access: CUSTOMER },
  { method: 'POST', path: '/me/erasure/cancel', function: 'customers', operationId: 'cancelMyErasure', access: CUSTOMER },
  { method: 'GET', path: '/erasure-requests', function: 'customers', operationId: 'listErasureRequests', access: DATA_PROTECTION },
] as const satisfies readonly RouteSpec[];
