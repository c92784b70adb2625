// The route and function table as plain data: what Lambda handlers need at cold start to route
// and authorize, without loading any schema. infra/topology.ts adds the schemas (for the OpenAPI
// document and the tests) and the rules and schedules; both are the one declaration.

export const ROLES = ['admin', 'manager', 'agent', 'marketer', 'customer'] as const;
export type Role = (typeof ROLES)[number];

const STAFF_READ: Role[] = ['admin', 'manager', 'agent', 'marketer'];
const STAFF_WRITE: Role[] = ['admin', 'manager', 'agent'];
const DATA_PROTECTION: Role[] = ['admin', 'manager'];
/** Agents and managers work cases; admins configure (and may work them); marketers see none. */
const CASE_WORK: Role[] = ['admin', 'manager', 'agent'];
const CONFIGURE: Role[] = ['admin'];
const REPORTS: Role[] = ['admin', 'manager'];
const MARKETING: Role[] = ['admin', 'marketer'];
const CUSTOMER: Role[] = ['customer'];
const ANY_USER: Role[] = ['admin', 'manager', 'agent', 'marketer', 'customer'];

/** Which AWS services a function's code talks to; CDK grants exactly these and nothing else. */
export interface Access {
  readonly table?: 'read' | 'readWrite';
  readonly bus?: boolean;
  readonly email?: boolean;
  /** Signs and checks link tokens (opt-in, unsubscribe): gets TOKEN_SECRET. */
  readonly tokens?: boolean;
}

export interface FunctionDef {
  /** Bundled entry exporting `handler` (the Lambda realization). */
  readonly entry: string;
  readonly description: string;
  readonly access: Access;
  readonly memoryMb?: number;
  readonly timeoutSeconds?: number;
}

export const FUNCTIONS = {
  customers: {
    entry: 'functions/customers/customers.lambda.ts',
    description: 'Customer profiles API',
    access: { table: 'readWrite' },
  },
  docs: {
    entry: 'functions/docs/docs.lambda.ts',
    description: 'Serves the OpenAPI document',
    access: {},
  },
  cases: {
    entry: 'functions/cases/cases.lambda.ts',
    description: 'Cases, queues, SLA policy and SLA reports API',
    access: { table: 'readWrite' },
  },
  slaSweeper: {
    entry: 'functions/cases/sla-sweeper.lambda.ts',
    description: 'Every minute: records SLA warnings and breaches that became due',
    access: { table: 'readWrite' },
    timeoutSeconds: 50,
  },
  caseEscalation: {
    entry: 'functions/cases/case-escalation.lambda.ts',
    description: 'Escalates a case once per SLA breach',
    access: { table: 'readWrite' },
  },
  caseNotifications: {
    entry: 'functions/cases/case-notifications.lambda.ts',
    description: 'Emails managers and assignees about escalations, SLA warnings and urgent cases',
    access: { table: 'readWrite', email: true },
  },
  caseMerge: {
    entry: 'functions/cases/case-merge.lambda.ts',
    description: "Moves a merged-away customer's cases to the customer it was merged into",
    access: { table: 'readWrite' },
    timeoutSeconds: 60,
  },
  caseErasure: {
    entry: 'functions/cases/case-erasure.lambda.ts',
    description: "Scrubs an erased customer's cases",
    access: { table: 'readWrite' },
    timeoutSeconds: 60,
  },
  consent: {
    entry: 'functions/consent/consent.lambda.ts',
    description: 'Topics, consent ledger, double opt-in, unsubscribe, suppressions, marketing email through the gate',
    access: { table: 'readWrite', email: true, tokens: true },
  },
  emailFeedback: {
    entry: 'functions/consent/email-feedback.lambda.ts',
    description: 'SES bounces and complaints: suppression and withdrawal',
    access: { table: 'readWrite' },
  },
  consentErasure: {
    entry: 'functions/consent/consent-erasure.lambda.ts',
    description: "Anonymises an erased customer's consent ledger",
    access: { table: 'readWrite' },
  },
  outboxPublisher: {
    entry: 'functions/outbox/outbox-publisher.lambda.ts',
    description: 'Publishes outbox records from the table stream to the crm bus',
    access: { bus: true },
    timeoutSeconds: 30,
  },
} as const satisfies Record<string, FunctionDef>;
export type FunctionName = keyof typeof FUNCTIONS;

export interface RouteSpec {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly function: FunctionName;
  readonly operationId: string;
  readonly summary: string;
  /** 'public' routes have no authorizer; others need a token whose groups include one of these. */
  readonly access: 'public' | readonly Role[];
  /** Body content types accepted besides application/json. */
  readonly bodyTypes?: readonly string[];
  readonly idempotent?: boolean;
}

export const ROUTE_TABLE = [
  {
    method: 'POST',
    path: '/customers',
    function: 'customers',
    operationId: 'createCustomer',
    summary: 'Create a customer profile',
    access: STAFF_WRITE,
    idempotent: true,
  },
  {
    method: 'GET',
    path: '/customers',
    function: 'customers',
    operationId: 'listCustomers',
    summary: 'List customers (newest first), or look one up by email or tag',
    access: STAFF_READ,
  },
  {
    method: 'GET',
    path: '/customers/{id}',
    function: 'customers',
    operationId: 'getCustomer',
    summary: 'Read a customer profile',
    access: STAFF_READ,
  },
  {
    method: 'PATCH',
    path: '/customers/{id}',
    function: 'customers',
    operationId: 'patchCustomer',
    summary: 'Change a customer profile (JSON merge patch)',
    access: STAFF_WRITE,
    bodyTypes: ['application/merge-patch+json'],
  },
  {
    method: 'DELETE',
    path: '/customers/{id}',
    function: 'customers',
    operationId: 'deleteCustomer',
    summary: 'Erase a customer (GDPR): profile, identities, interactions; anonymous aggregates stay',
    access: STAFF_WRITE,
  },
  {
    method: 'POST',
    path: '/customers/{id}/interactions',
    function: 'customers',
    operationId: 'recordInteraction',
    summary: "Record an interaction on the customer's timeline",
    access: STAFF_WRITE,
  },
  {
    method: 'POST',
    path: '/interactions',
    function: 'customers',
    operationId: 'recordInteractions',
    summary: 'Record 1-25 interactions (click streams), each naming its person by customerId, email or anonymousId',
    access: STAFF_WRITE,
  },
  {
    method: 'GET',
    path: '/customers/{id}/timeline',
    function: 'customers',
    operationId: 'getTimeline',
    summary: 'Everything that happened with the customer, newest first',
    access: STAFF_READ,
  },
  {
    method: 'POST',
    path: '/customers/{id}/identities',
    function: 'customers',
    operationId: 'linkIdentity',
    summary: 'Link an identity (email, phone, externalId, anonymousId); an anonymousId brings its interactions',
    access: STAFF_WRITE,
  },
  {
    method: 'GET',
    path: '/customers/{id}/identities',
    function: 'customers',
    operationId: 'listIdentities',
    summary: "The customer's identities",
    access: STAFF_READ,
  },
  {
    method: 'POST',
    path: '/customers/{id}/merge',
    function: 'customers',
    operationId: 'mergeCustomers',
    summary: 'Merge the source customer into this one',
    access: STAFF_WRITE,
  },
  {
    method: 'GET',
    path: '/customers/{id}/export',
    function: 'customers',
    operationId: 'exportCustomer',
    summary: 'Everything held about the person (GDPR access and portability)',
    access: DATA_PROTECTION,
  },
  {
    method: 'POST',
    path: '/cases',
    function: 'cases',
    operationId: 'openCase',
    summary: 'Open a case for a customer (any channel); its SLA due times come with it',
    access: CASE_WORK,
    idempotent: true,
  },
  {
    method: 'GET',
    path: '/cases',
    function: 'cases',
    operationId: 'listCases',
    summary: 'Cases newest first, by status, queue (+status), assignee (+status), priority (+status) or customer',
    access: CASE_WORK,
  },
  {
    method: 'GET',
    path: '/cases/{id}',
    function: 'cases',
    operationId: 'getCase',
    summary: 'Read a case',
    access: CASE_WORK,
  },
  {
    method: 'PATCH',
    path: '/cases/{id}',
    function: 'cases',
    operationId: 'patchCase',
    summary: 'Change subject, priority, queue, tags or status (allowed moves only)',
    access: CASE_WORK,
    bodyTypes: ['application/merge-patch+json'],
  },
  {
    method: 'POST',
    path: '/cases/{id}/comments',
    function: 'cases',
    operationId: 'addComment',
    summary: 'Comment on a case (public or internal); the first public staff comment is the first response',
    access: CASE_WORK,
  },
  {
    method: 'GET',
    path: '/cases/{id}/comments',
    function: 'cases',
    operationId: 'listComments',
    summary: "A case's comments, oldest first",
    access: CASE_WORK,
  },
  {
    method: 'POST',
    path: '/cases/{id}/assign',
    function: 'cases',
    operationId: 'assignCase',
    summary: 'Assign to an agent, unassign (null), or {auto: true}: the queue member with the fewest open cases',
    access: CASE_WORK,
  },
  {
    method: 'PUT',
    path: '/queues/{name}',
    function: 'cases',
    operationId: 'putQueue',
    summary: 'Configure a queue: members, managers (emails), escalateTo',
    access: CONFIGURE,
  },
  {
    method: 'GET',
    path: '/queues/{name}',
    function: 'cases',
    operationId: 'getQueue',
    summary: 'Read a queue',
    access: CASE_WORK,
  },
  {
    method: 'GET',
    path: '/sla-policy',
    function: 'cases',
    operationId: 'getSlaPolicy',
    summary: 'The SLA policy in force',
    access: CASE_WORK,
  },
  {
    method: 'PUT',
    path: '/sla-policy',
    function: 'cases',
    operationId: 'putSlaPolicy',
    summary: 'Save a new SLA policy version (applies to cases opened after it)',
    access: CONFIGURE,
  },
  {
    method: 'GET',
    path: '/reports/sla',
    function: 'cases',
    operationId: 'slaReport',
    summary: 'SLA figures for a date range (UTC days), kept from counters',
    access: REPORTS,
  },
  {
    method: 'GET',
    path: '/topics',
    function: 'consent',
    operationId: 'getTopics',
    summary: 'Subscription topics',
    access: ANY_USER,
  },
  {
    method: 'PUT',
    path: '/topics',
    function: 'consent',
    operationId: 'putTopics',
    summary: 'Replace the subscription topics',
    access: CONFIGURE,
  },
  {
    method: 'GET',
    path: '/customers/{id}/consents',
    function: 'consent',
    operationId: 'getConsents',
    summary: 'State per topic and the append-only consent ledger',
    access: STAFF_READ,
  },
  {
    method: 'POST',
    path: '/customers/{id}/consents',
    function: 'consent',
    operationId: 'postConsent',
    summary: 'request (double opt-in email, 202), grant (admin: consent obtained elsewhere), withdraw',
    access: ['admin', 'manager', 'agent', 'marketer'],
  },
  {
    method: 'GET',
    path: '/optin/confirm',
    function: 'consent',
    operationId: 'confirmOptIn',
    summary: 'The link in the double opt-in email (an HTML page)',
    access: 'public',
  },
  {
    method: 'GET',
    path: '/unsubscribe',
    function: 'consent',
    operationId: 'unsubscribePage',
    summary: 'The unsubscribe link in every marketing email (an HTML page to confirm)',
    access: 'public',
  },
  {
    method: 'POST',
    path: '/unsubscribe',
    function: 'consent',
    operationId: 'unsubscribe',
    summary: 'RFC 8058 one-click unsubscribe (form body List-Unsubscribe=One-Click; scope=all for every marketing topic)',
    access: 'public',
    bodyTypes: ['application/x-www-form-urlencoded'],
  },
  {
    method: 'GET',
    path: '/suppressions',
    function: 'consent',
    operationId: 'listSuppressions',
    summary: 'Suppressed addresses (hard bounces, complaints), newest first',
    access: CONFIGURE,
  },
  {
    method: 'DELETE',
    path: '/suppressions/{email}',
    function: 'consent',
    operationId: 'deleteSuppression',
    summary: 'Lift a suppression',
    access: CONFIGURE,
  },
  {
    method: 'GET',
    path: '/me/consents',
    function: 'consent',
    operationId: 'getMyConsents',
    summary: "The signed-in customer's topics",
    access: CUSTOMER,
  },
  {
    method: 'PUT',
    path: '/me/consents',
    function: 'consent',
    operationId: 'putMyConsents',
    summary: 'Preference centre: true starts a double opt-in, false withdraws',
    access: CUSTOMER,
  },
  {
    method: 'POST',
    path: '/customers/{id}/emails',
    function: 'consent',
    operationId: 'sendEmail',
    summary: 'One marketing email through the consent gate',
    access: MARKETING,
  },
  {
    method: 'GET',
    path: '/openapi.json',
    function: 'docs',
    operationId: 'getOpenApi',
    summary: 'This API as an OpenAPI 3.1 document',
    access: 'public',
  },
] as const satisfies readonly RouteSpec[];

export type RouteKey = `${RouteSpec['method']} ${string}`;
export const routeKey = (r: Pick<RouteSpec, 'method' | 'path'>): RouteKey => `${r.method} ${r.path}`;
