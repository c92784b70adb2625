import { ANY_USER, CONFIGURE, CONSENT_READ, CUSTOMER, MARKETING, type RouteSpec } from '../route-access.ts';

// The consent function's routes: its composition imports this list and no other, so its bundle holds
// only its own routes; infra/routes.ts joins every list into ROUTE_TABLE (test/infra/route-lists.test.ts).

export const CONSENT_ROUTES = [
  {
    method: 'GET',
    path: '/topics',
    function: 'consent',
    operationId: 'getTopics',
    access: ANY_USER,
  },
  {
    method: 'PUT',
    path: '/topics',
    function: 'consent',
    operationId: 'putTopics',
    access: CONFIGURE,
  },
  {
    method: 'GET',
    path: '/customers/{id}/consents',
    function: 'consent',
    operationId: 'getConsents',
    access: CONSENT_READ,
  },
  {
    method: 'POST',
    path: '/customers/{id}/consents',
    function: 'consent',
    operationId: 'postConsent',
    access: ['admin', 'manager', 'agent', 'marketer'],
  },
  {
    method: 'GET',
    path: '/optin/confirm',
    function: 'consent',
    operationId: 'optInPage',
    access: 'public',
  },
  {
    method: 'POST',
    path: '/optin/confirm',
    function: 'consent',
    operationId: 'confirmOptIn',
    access: 'public',
    bodyTypes: ['application/x-www-form-urlencoded'],
  },
  {
    method: 'GET',
    path: '/unsubscribe',
    function: 'consent',
    operationId: 'unsubscribePage',
    access: 'public',
  },
  {
    method: 'POST',
    path: '/unsubscribe',
    function: 'consent',
    operationId: 'unsubscribe',
    access: 'public',
    bodyTypes: ['application/x-www-form-urlencoded'],
  },
  {
    method: 'GET',
    path: '/preferences',
    function: 'consent',
    operationId: 'preferencesPage',
    access: 'public',
  },
  {
    method: 'GET',
    path: '/suppressions',
    function: 'consent',
    operationId: 'listSuppressions',
    access: CONFIGURE,
  },
  {
    method: 'DELETE',
    path: '/suppressions/{email}',
    function: 'consent',
    operationId: 'deleteSuppression',
    access: CONFIGURE,
  },
  {
    method: 'GET',
    path: '/me/consents',
    function: 'consent',
    operationId: 'getMyConsents',
    access: CUSTOMER,
  },
  {
    method: 'PUT',
    path: '/me/consents',
    function: 'consent',
    operationId: 'putMyConsents',
    access: CUSTOMER,
  },
  {
    method: 'POST',
    path: '/customers/{id}/emails',
    function: 'consent',
    operationId: 'sendEmail',
    access: MARKETING,
  },
] as const satisfies readonly RouteSpec[];
