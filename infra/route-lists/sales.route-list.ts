import { ACTIVITY_READ, concatRoutes, DATA_PROTECTION, PRODUCT_WRITE, REPORTS, type Role, type RouteSpec, STAFF_READ, STAFF_WRITE } from '../route-access.ts';

// The sales function's routes: its composition imports this list and no other, so its bundle holds
// only its own routes; infra/routes.ts joins every list into ROUTE_TABLE (test/infra/route-lists.test.ts).

// Sales (issue 12): one function, one route list per part (each part's handlers and schemas live
// in files of their own); SALES_ROUTES is the function's whole list.
export const ACCOUNT_ROUTES = [
  { method: 'POST', path: '/accounts', function: 'sales', operationId: 'createAccount', access: STAFF_WRITE, idempotent: true },
  { method: 'GET', path: '/accounts', function: 'sales', operationId: 'listAccounts', access: STAFF_READ },
  { method: 'GET', path: '/accounts/{id}', function: 'sales', operationId: 'getAccount', access: STAFF_READ },
  { method: 'PATCH', path: '/accounts/{id}', function: 'sales', operationId: 'patchAccount', access: STAFF_WRITE, bodyTypes: ['application/merge-patch+json'] },
  { method: 'DELETE', path: '/accounts/{id}', function: 'sales', operationId: 'deleteAccount', access: DATA_PROTECTION },
  { method: 'PUT', path: '/accounts/{id}/contacts/{customerId}', function: 'sales', operationId: 'putAccountContact', access: STAFF_WRITE },
  { method: 'DELETE', path: '/accounts/{id}/contacts/{customerId}', function: 'sales', operationId: 'removeAccountContact', access: STAFF_WRITE },
  { method: 'GET', path: '/accounts/{id}/contacts', function: 'sales', operationId: 'listAccountContacts', access: STAFF_READ },
  { method: 'GET', path: '/accounts/{id}/timeline', function: 'sales', operationId: 'getAccountTimeline', access: STAFF_READ },
  // A customer's profile shows its accounts; the links live in the customer's partition, the sales function serves them.
  { method: 'GET', path: '/customers/{id}/accounts', function: 'sales', operationId: 'listCustomerAccounts', access: STAFF_READ },
] as const satisfies readonly RouteSpec[];
export const PRODUCT_ROUTES = [
  { method: 'PUT', path: '/products/{sku}', function: 'sales', operationId: 'putProduct', access: PRODUCT_WRITE },
  { method: 'GET', path: '/products', function: 'sales', operationId: 'listProducts', access: STAFF_READ },
  { method: 'GET', path: '/products/{sku}', function: 'sales', operationId: 'getProduct', access: STAFF_READ },
  { method: 'GET', path: '/customers/{id}/recommendations', function: 'sales', operationId: 'getRecommendations', access: STAFF_READ },
  { method: 'GET', path: '/accounts/{id}/recommendations', function: 'sales', operationId: 'getAccountRecommendations', access: STAFF_READ },
] as const satisfies readonly RouteSpec[];
/** Leads: staff read and work them (marketers too: their campaigns bring them); erasure is data protection's. */
const LEAD_WORK: Role[] = ['admin', 'manager', 'agent', 'marketer'];
/**
 * Partner users (issue 12): the lead and opportunity routes they reach besides staff, each scoped to
 * the leads and opportunities assigned to their partner account (domain/sales/partner-scope.ts);
 * every other route answers them 403.
 */
const PARTNER: Role[] = ['partner'];
const LEAD_READ_PARTNER: Role[] = [...STAFF_READ, ...PARTNER];
const LEAD_WORK_PARTNER: Role[] = [...LEAD_WORK, ...PARTNER];
/** Converting a lead: the lead workers, and partner users for the leads assigned to their partner account (salesViewerOf). */
const LEAD_CONVERT: Role[] = LEAD_WORK_PARTNER;
export const LEAD_ROUTES = [
  { method: 'POST', path: '/leads', function: 'sales', operationId: 'createLead', access: LEAD_WORK_PARTNER, idempotent: true },
  { method: 'POST', path: '/leads/capture', function: 'sales', operationId: 'captureLead', access: 'public', bodyTypes: ['application/x-www-form-urlencoded'] },
  { method: 'GET', path: '/leads', function: 'sales', operationId: 'listLeads', access: LEAD_READ_PARTNER },
  { method: 'GET', path: '/leads/{id}', function: 'sales', operationId: 'getLead', access: LEAD_READ_PARTNER },
  { method: 'PATCH', path: '/leads/{id}', function: 'sales', operationId: 'patchLead', access: LEAD_WORK_PARTNER, bodyTypes: ['application/merge-patch+json'] },
  { method: 'DELETE', path: '/leads/{id}', function: 'sales', operationId: 'deleteLead', access: DATA_PROTECTION },
  { method: 'POST', path: '/leads/{id}/convert', function: 'sales', operationId: 'convertLead', access: LEAD_CONVERT, idempotent: true },
] as const satisfies readonly RouteSpec[];
const OPPORTUNITY_READ_PARTNER: Role[] = [...STAFF_READ, ...PARTNER];
const OPPORTUNITY_WORK_PARTNER: Role[] = [...STAFF_WRITE, ...PARTNER];
export const OPPORTUNITY_ROUTES = [
  { method: 'POST', path: '/opportunities', function: 'sales', operationId: 'createOpportunity', access: STAFF_WRITE, idempotent: true },
  { method: 'GET', path: '/opportunities', function: 'sales', operationId: 'listOpportunities', access: OPPORTUNITY_READ_PARTNER },
  { method: 'GET', path: '/opportunities/{id}', function: 'sales', operationId: 'getOpportunity', access: OPPORTUNITY_READ_PARTNER },
  { method: 'PATCH', path: '/opportunities/{id}', function: 'sales', operationId: 'patchOpportunity', access: OPPORTUNITY_WORK_PARTNER, bodyTypes: ['application/merge-patch+json'] },
] as const satisfies readonly RouteSpec[];
/** The pipeline (issue 12): staff read the stages; admins and managers configure them and read the report. */
const PIPELINE_CONFIGURE: Role[] = ['admin', 'manager'];
export const PIPELINE_ROUTES = [
  { method: 'GET', path: '/pipeline/stages', function: 'sales', operationId: 'getPipelineStages', access: STAFF_READ },
  { method: 'PUT', path: '/pipeline/stages', function: 'sales', operationId: 'putPipelineStages', access: PIPELINE_CONFIGURE },
  { method: 'GET', path: '/reports/pipeline', function: 'sales', operationId: 'pipelineReport', access: REPORTS },
] as const satisfies readonly RouteSpec[];
export const ACTIVITY_ROUTES = [
  { method: 'POST', path: '/activities', function: 'sales', operationId: 'createActivity', access: STAFF_WRITE, idempotent: true },
  { method: 'GET', path: '/activities', function: 'sales', operationId: 'listActivities', access: ACTIVITY_READ },
  { method: 'GET', path: '/activities/{id}', function: 'sales', operationId: 'getActivity', access: ACTIVITY_READ },
  { method: 'PATCH', path: '/activities/{id}', function: 'sales', operationId: 'patchActivity', access: STAFF_WRITE, bodyTypes: ['application/merge-patch+json'] },
] as const satisfies readonly RouteSpec[];
export const SALES_ROUTES = /* @__PURE__ */ concatRoutes(ACCOUNT_ROUTES, PRODUCT_ROUTES, LEAD_ROUTES, OPPORTUNITY_ROUTES, PIPELINE_ROUTES, ACTIVITY_ROUTES);
