import type { ScheduleTarget } from '#domain/shared/ports.ts';

// The route and function table as plain data: what Lambda handlers need at cold start to route
// and authorize, without loading any schema. infra/topology.ts adds the schemas (for the OpenAPI
// document and the tests) and the rules and schedules; both are the one declaration.

/**
 * Staff roles first (most privileged first: Cognito group precedence follows this order), then the
 * two outside roles: `partner` (a partner company's user, bound to its partner account by the claim
 * `custom:accountId`; it sees only the leads and opportunities assigned to that account) and
 * `customer` (self-service, bound to `custom:customerId`).
 */
export const ROLES = ['admin', 'manager', 'agent', 'marketer', 'partner', 'customer'] as const;
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
/** Knowledge base: agents (and up) write drafts; publishing, archiving and the category tree are for managers and admins. */
const KB_WRITE: Role[] = ['admin', 'manager', 'agent'];
const KB_PUBLISH: Role[] = ['admin', 'manager'];
/** The product catalogue (issue 12): admins, managers and marketers keep it. */
const PRODUCT_WRITE: Role[] = ['admin', 'manager', 'marketer'];
const ANY_USER: Role[] = ['admin', 'manager', 'agent', 'marketer', 'customer'];

/**
 * Who may read each context's entries on a customer's timeline: the access of the route that reads
 * them on their own (GET /cases/{id}, GET /cases/{id}/comments and GET /customers/{id}/consents use
 * these very constants; plain identifiers, not property reads, so that bundles can drop the lists), so the customers function applies it without bundling other contexts' routes.
 */
const CASE_READ = CASE_WORK;
const CONSENT_READ = STAFF_READ;
/** GET /activities and GET /opportunities (issue 12): staff who may read sales data; never a customer, not even on /me/timeline. */
const ACTIVITY_READ = STAFF_READ;
const OPPORTUNITY_READ = STAFF_READ;
/**
 * A customer reads their own cases and public comments (GET /me/cases/{id}, .../comments) and their
 * own consents (GET /me/consents) on their own, so their own timeline (GET /me/timeline, the only
 * timeline a customer token reaches) shows those kinds too. Internal comments are never on a timeline.
 */
const OWN_READ = CUSTOMER;
export const TIMELINE_READ_ACCESS = {
  case: [...CASE_READ, ...OWN_READ],
  case_comment: [...CASE_READ, ...OWN_READ],
  consent: [...CONSENT_READ, ...OWN_READ],
  activity: ACTIVITY_READ,
  opportunity: OPPORTUNITY_READ,
} as const;

/** Which AWS services a function's code talks to; CDK grants exactly these and nothing else. */
export interface Access {
  readonly table?: 'read' | 'readWrite';
  readonly bus?: boolean;
  readonly email?: boolean;
  /** Signs and checks link tokens (opt-in, unsubscribe): gets TOKEN_SECRET. */
  readonly tokens?: boolean;
  /** Creates and removes the per-campaign trigger rules (`campaign-*`) on the crm bus. */
  readonly rules?: boolean;
  /** Creates and deletes one-off schedules in the EventBridge Scheduler group SCHEDULE_GROUP (targets: SCHEDULE_TARGETS). */
  readonly schedules?: boolean;
  /** Builds links to the public API outside a request (unsubscribe links of campaign mail): gets LINK_BASE_URL. */
  readonly links?: boolean;
  /** Writes the warehouse's files: may put objects under the analytics bucket's table prefix (gets ANALYTICS_BUCKET, WAREHOUSE_PREFIX), nothing else of S3. */
  readonly warehouse?: boolean;
  /**
   * Queries the warehouse through Athena (the cube): runs and reads queries in the analytics
   * workgroup, reads the Glue database and tables and the table files, writes and reads the
   * workgroup's results prefix (gets ATHENA_WORKGROUP, ANALYTICS_DATABASE), nothing else.
   */
  readonly warehouseQueries?: boolean;
  /** Reads the eCRM namespace's metrics (GET /usage): cloudwatch:GetMetricData only; gets USAGE_PRICES when configured. */
  readonly metricsRead?: boolean;
}

/**
 * The functions one-off schedules may invoke: the scheduler's role may invoke exactly these, and
 * every function with `Access.schedules` gets their ARNs (SCHEDULE_TARGET_ARNS).
 */
export const SCHEDULE_TARGETS = ['campaignStarter', 'campaignTrigger', 'scheduledErasure', 'csatSurveys', 'activityReminders'] as const satisfies readonly ScheduleTarget[];

/** The EventBridge Scheduler group of the one-off schedules (`Access.schedules`). */
export const SCHEDULE_GROUP = 'crm-schedules';

/** Lambda memory of a function that names none (CDK sets it; the local runtime's metering uses it too). */
export const DEFAULT_MEMORY_MB = 512;

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
    description: 'Serves the OpenAPI document and the usage figures (GET /usage)',
    // Metering (issue 14): GET /usage reads the eCRM metrics (cloudwatch:GetMetricData, nothing else).
    access: { metricsRead: true },
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
  optInMail: {
    entry: 'functions/consent/optin-mail.lambda.ts',
    description: 'Sends the double opt-in email of a ConsentRequested, once, retried until SES accepts it',
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
  campaigns: {
    entry: 'functions/campaigns/campaigns.lambda.ts',
    description: 'Segments and campaigns API',
    access: { table: 'readWrite', email: true, tokens: true, rules: true, schedules: true },
  },
  audienceScanner: {
    entry: 'functions/campaigns/audience-scanner.lambda.ts',
    description: 'Scans customers page by page for a segment snapshot or a campaign start (table stream)',
    access: { table: 'readWrite' },
    timeoutSeconds: 120,
  },
  campaignStarter: {
    entry: 'functions/campaigns/campaign-starter.lambda.ts',
    description: "At a scheduled campaign's time (EventBridge Scheduler): starts sending to its segment as it is then",
    access: { table: 'readWrite' },
  },
  campaignSender: {
    entry: 'functions/campaigns/campaign-sender.lambda.ts',
    description: "Sends a campaign's batches through the consent gate, at most once per recipient, paced (table stream)",
    access: { table: 'readWrite', email: true, tokens: true, links: true },
    timeoutSeconds: 900,
  },
  campaignTrigger: {
    entry: 'functions/campaigns/campaign-trigger.lambda.ts',
    description: "A triggered campaign's event (its own rule) or delayed send: one message to that customer if in the segment",
    access: { table: 'readWrite', email: true, tokens: true, schedules: true, links: true },
  },
  campaignFeedback: {
    entry: 'functions/campaigns/campaign-feedback.lambda.ts',
    description: 'Counts deliveries, bounces, complaints and unsubscribes of campaign mail on its report',
    access: { table: 'readWrite' },
  },
  scheduledErasure: {
    entry: 'functions/customers/scheduled-erasure.lambda.ts',
    description: "A customer's own erasure request: schedules its run at the end of the grace period and confirms it by email, and then erases (unless cancelled)",
    access: { table: 'readWrite', schedules: true, email: true },
    timeoutSeconds: 60,
  },
  knowledge: {
    entry: 'functions/knowledge/knowledge.lambda.ts',
    description: 'Knowledge base: articles, versions, categories; the public help centre with search; case suggestions',
    access: { table: 'readWrite' },
    memoryMb: 1024,
  },
  searchIndexer: {
    entry: 'functions/knowledge/search-indexer.lambda.ts',
    description: 'Keeps the stored search index of each locale in step with what is published',
    access: { table: 'readWrite' },
    memoryMb: 1024,
    timeoutSeconds: 120,
  },
  csat: {
    entry: 'functions/surveys/csat.lambda.ts',
    description: 'Satisfaction surveys: the public answer page and form, and the CSAT report',
    access: { table: 'readWrite', tokens: true },
  },
  csatSurveys: {
    entry: 'functions/surveys/csat-surveys.lambda.ts',
    description: 'A solved case schedules its survey, a reopened one cancels it; at its time the survey email goes out through the gate',
    access: { table: 'readWrite', email: true, tokens: true, links: true, schedules: true },
  },
  sales: {
    entry: 'functions/sales/sales.lambda.ts',
    description: 'Sales: accounts and contacts, leads, products and recommendations, opportunities, activities',
    // schedules: an activity's due reminder is a one-off schedule the activity routes create, move and cancel.
    access: { table: 'readWrite', schedules: true },
  },
  activityReminders: {
    entry: 'functions/sales/activity-reminders.lambda.ts',
    description: "At an activity's dueAt (its one-off schedule), records ActivityDue if it is still open and still due then, and emails its owner",
    access: { table: 'readWrite', email: true },
  },
  leadErasure: {
    entry: 'functions/sales/lead-erasure.lambda.ts',
    description: "Deletes an erased customer's leads and unlinks its activities",
    access: { table: 'readWrite' },
  },
  purchases: {
    entry: 'functions/sales/purchases.lambda.ts',
    description: "Keeps product co-occurrence and per-segment best sellers current from purchases; moves a merged-away customer's contact links and owned products",
    access: { table: 'readWrite' },
    timeoutSeconds: 60,
  },
  wonOpportunities: {
    entry: 'functions/sales/won-opportunities.lambda.ts',
    description: "Records a won opportunity's products as purchases of its account's contacts",
    access: { table: 'readWrite' },
    timeoutSeconds: 60,
  },
  // Analytics (issue 13): the purchase feed, the fit jobs' worker and the read routes.
  analyticsFeed: {
    entry: 'functions/analytics/analytics-feed.lambda.ts',
    description: "Keeps analytics' purchase items (day, value, currency) from purchase interactions and won opportunities, and moves a merged-away customer's to the target",
    access: { table: 'readWrite' },
    // A won opportunity records and refreshes up to 1,000 contacts, about 40 ms each (bench section 17).
    timeoutSeconds: 60,
  },
  analytics: {
    entry: 'functions/analytics/analytics.lambda.ts',
    description: 'Analytics: customer value model fits (as jobs), the model, customer scores, the warehouse cube (Athena)',
    access: { table: 'readWrite', warehouseQueries: true },
    // The cube waits up to 20 s for Athena (functions/analytics/cube.part.ts), inside API Gateway's 29 s.
    timeoutSeconds: 28,
  },
  analyticsJobs: {
    entry: 'functions/analytics/analytics-jobs.lambda.ts',
    description: "Runs requested analytics jobs: the customer value fit over every purchase, then every customer's scores",
    access: { table: 'readWrite' },
    // The fit holds every purchase in memory and searches in CPU-bound loops: Lambda's CPU grows with memory.
    memoryMb: 3008,
    timeoutSeconds: 900,
  },
  warehouseExport: {
    entry: 'functions/warehouse/warehouse-export.lambda.ts',
    description: 'Exports changed customers, interactions, cases, consents, campaign sends and opportunities to the warehouse as pseudonymous Parquet (table stream)',
    access: { table: 'readWrite', warehouse: true },
    memoryMb: 512,
    timeoutSeconds: 120,
  },
  outboxPublisher: {
    entry: 'functions/outbox/outbox-publisher.lambda.ts',
    description: 'Publishes outbox records from the table stream to the crm bus, then marks them published (their TTL starts then)',
    // readWrite: marking a record published takes it off the pending listing and sets its TTL.
    access: { table: 'readWrite', bus: true },
    timeoutSeconds: 30,
  },
  outboxSweeper: {
    entry: 'functions/outbox/outbox-sweeper.lambda.ts',
    description: 'Every 15 minutes: publishes outbox records the stream could not deliver (pending for over 30 minutes)',
    access: { table: 'readWrite', bus: true },
    timeoutSeconds: 300,
  },
} as const satisfies Record<string, FunctionDef>;
export type FunctionName = keyof typeof FUNCTIONS;

export interface RouteSpec {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly function: FunctionName;
  readonly operationId: string;
  /** 'public' routes have no authorizer; others need a token whose groups include one of these. */
  readonly access: 'public' | readonly Role[];
  /** Body content types accepted besides application/json. */
  readonly bodyTypes?: readonly string[];
  readonly idempotent?: boolean;
}

// One list per function: a Lambda handler bundles only its own (esbuild cannot drop elements of one
// shared array), and the whole table is their concatenation.
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

export const CAMPAIGN_ROUTES = [
  { method: 'POST', path: '/segments', function: 'campaigns', operationId: 'createSegment', access: MARKETING, idempotent: true },
  { method: 'GET', path: '/segments', function: 'campaigns', operationId: 'listSegments', access: MARKETING },
  { method: 'GET', path: '/segments/{id}', function: 'campaigns', operationId: 'getSegment', access: MARKETING },
  { method: 'PUT', path: '/segments/{id}', function: 'campaigns', operationId: 'putSegment', access: MARKETING },
  { method: 'DELETE', path: '/segments/{id}', function: 'campaigns', operationId: 'deleteSegment', access: MARKETING },
  { method: 'GET', path: '/segments/{id}/preview', function: 'campaigns', operationId: 'previewSegment', access: MARKETING },
  { method: 'POST', path: '/segments/preview', function: 'campaigns', operationId: 'previewRule', access: MARKETING },
  { method: 'POST', path: '/segments/{id}/snapshots', function: 'campaigns', operationId: 'createSnapshot', access: MARKETING, idempotent: true },
  { method: 'GET', path: '/segments/{id}/snapshots/{snapshotId}', function: 'campaigns', operationId: 'getSnapshot', access: MARKETING },
  { method: 'GET', path: '/segments/{id}/snapshots/{snapshotId}/members', function: 'campaigns', operationId: 'listSnapshotMembers', access: MARKETING },
  { method: 'POST', path: '/campaigns', function: 'campaigns', operationId: 'createCampaign', access: MARKETING, idempotent: true },
  { method: 'GET', path: '/campaigns', function: 'campaigns', operationId: 'listCampaigns', access: MARKETING },
  { method: 'GET', path: '/campaigns/{id}', function: 'campaigns', operationId: 'getCampaign', access: MARKETING },
  { method: 'PATCH', path: '/campaigns/{id}', function: 'campaigns', operationId: 'patchCampaign', access: MARKETING, bodyTypes: ['application/merge-patch+json'] },
  { method: 'POST', path: '/campaigns/{id}/schedule', function: 'campaigns', operationId: 'scheduleCampaign', access: MARKETING },
  { method: 'POST', path: '/campaigns/{id}/activate', function: 'campaigns', operationId: 'activateCampaign', access: MARKETING },
  { method: 'POST', path: '/campaigns/{id}/pause', function: 'campaigns', operationId: 'pauseCampaign', access: MARKETING },
  { method: 'POST', path: '/campaigns/{id}/resume', function: 'campaigns', operationId: 'resumeCampaign', access: MARKETING },
  { method: 'POST', path: '/campaigns/{id}/cancel', function: 'campaigns', operationId: 'cancelCampaign', access: MARKETING },
  { method: 'POST', path: '/campaigns/{id}/preview', function: 'campaigns', operationId: 'previewCampaign', access: MARKETING },
  { method: 'POST', path: '/campaigns/{id}/test', function: 'campaigns', operationId: 'testCampaign', access: MARKETING },
  { method: 'GET', path: '/campaigns/{id}/report', function: 'campaigns', operationId: 'campaignReport', access: MARKETING },
  { method: 'GET', path: '/campaigns/{id}/recipients', function: 'campaigns', operationId: 'listRecipients', access: MARKETING },
] as const satisfies readonly RouteSpec[];

export const KNOWLEDGE_ROUTES = [
  { method: 'POST', path: '/kb/articles', function: 'knowledge', operationId: 'createArticle', access: KB_WRITE, idempotent: true },
  { method: 'GET', path: '/kb/articles', function: 'knowledge', operationId: 'listArticles', access: STAFF_READ },
  { method: 'GET', path: '/kb/articles/{id}', function: 'knowledge', operationId: 'getArticle', access: STAFF_READ },
  { method: 'PATCH', path: '/kb/articles/{id}', function: 'knowledge', operationId: 'patchArticle', access: KB_WRITE, bodyTypes: ['application/merge-patch+json'] },
  { method: 'DELETE', path: '/kb/articles/{id}', function: 'knowledge', operationId: 'deleteArticle', access: KB_WRITE },
  { method: 'GET', path: '/kb/articles/{id}/versions', function: 'knowledge', operationId: 'listArticleVersions', access: STAFF_READ },
  { method: 'GET', path: '/kb/articles/{id}/feedback', function: 'knowledge', operationId: 'listArticleFeedback', access: STAFF_READ },
  { method: 'GET', path: '/kb/categories', function: 'knowledge', operationId: 'getCategories', access: STAFF_READ },
  { method: 'PUT', path: '/kb/categories', function: 'knowledge', operationId: 'putCategories', access: KB_PUBLISH },
  { method: 'GET', path: '/help', function: 'knowledge', operationId: 'helpCentre', access: 'public' },
  { method: 'GET', path: '/help/articles', function: 'knowledge', operationId: 'searchHelp', access: 'public' },
  { method: 'GET', path: '/help/articles/{id}', function: 'knowledge', operationId: 'getHelpArticle', access: 'public' },
  { method: 'GET', path: '/help/categories', function: 'knowledge', operationId: 'listHelpCategories', access: 'public' },
  { method: 'POST', path: '/help/articles/{id}/feedback', function: 'knowledge', operationId: 'articleFeedback', access: 'public' },
  { method: 'GET', path: '/cases/{id}/suggestions', function: 'knowledge', operationId: 'caseSuggestions', access: CASE_WORK },
] as const satisfies readonly RouteSpec[];

export const SURVEY_ROUTES = [
  { method: 'GET', path: '/csat', function: 'csat', operationId: 'csatPage', access: 'public' },
  { method: 'POST', path: '/csat', function: 'csat', operationId: 'submitCsat', access: 'public', bodyTypes: ['application/x-www-form-urlencoded'] },
  { method: 'GET', path: '/reports/csat', function: 'csat', operationId: 'csatReport', access: REPORTS },
] as const satisfies readonly RouteSpec[];

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
export const SALES_ROUTES = /* @__PURE__ */ allRoutes(ACCOUNT_ROUTES, PRODUCT_ROUTES, LEAD_ROUTES, OPPORTUNITY_ROUTES, PIPELINE_ROUTES, ACTIVITY_ROUTES);

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
export const ANALYTICS_FUNCTION_ROUTES = /* @__PURE__ */ allRoutes(ANALYTICS_ROUTES, ANALYTICS_CUBE_ROUTES, ANALYTICS_CLUSTER_ROUTES, ANALYTICS_FORECAST_ROUTES);

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

function allRoutes<L extends readonly (readonly RouteSpec[])[]>(...lists: L): readonly L[number][number][] {
  return lists.flat() as L[number][number][];
}

/**
 * Every route, for the topology (CDK, local gateway, OpenAPI document) and the tests. Pure: a
 * bundle that does not read it drops it, and the lists it would have pulled in with it.
 */
export const ROUTE_TABLE = /* @__PURE__ */ allRoutes(CUSTOMER_ROUTES, CASE_ROUTES, CONSENT_ROUTES, CAMPAIGN_ROUTES, KNOWLEDGE_ROUTES, SURVEY_ROUTES, ACCOUNT_ROUTES, PRODUCT_ROUTES, LEAD_ROUTES, OPPORTUNITY_ROUTES, PIPELINE_ROUTES, ACTIVITY_ROUTES, ANALYTICS_ROUTES, ANALYTICS_CUBE_ROUTES, ANALYTICS_CLUSTER_ROUTES, ANALYTICS_FORECAST_ROUTES, DOCS_ROUTES);

export type RouteKey = `${RouteSpec['method']} ${string}`;
export const routeKey = (r: Pick<RouteSpec, 'method' | 'path'>): RouteKey => `${r.method} ${r.path}`;
