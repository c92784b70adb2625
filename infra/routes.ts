import { ANALYTICS_JOBS_TIMEOUT_SECONDS } from './analytics-jobs.ts';
import { concatRoutes } from './route-access.ts';
import { ANALYTICS_CLUSTER_ROUTES, ANALYTICS_CUBE_ROUTES, ANALYTICS_FORECAST_ROUTES, ANALYTICS_ROUTES } from './route-lists/analytics.route-list.ts';
import { CAMPAIGN_ROUTES } from './route-lists/campaigns.route-list.ts';
import { CASE_ROUTES } from './route-lists/cases.route-list.ts';
import { CONSENT_ROUTES } from './route-lists/consent.route-list.ts';
import { SURVEY_ROUTES } from './route-lists/csat.route-list.ts';
import { CUSTOMER_ROUTES } from './route-lists/customers.route-list.ts';
import { DOCS_ROUTES } from './route-lists/docs.route-list.ts';
import { KNOWLEDGE_ROUTES } from './route-lists/knowledge.route-list.ts';
import { ACCOUNT_ROUTES, ACTIVITY_ROUTES, LEAD_ROUTES, OPPORTUNITY_ROUTES, PIPELINE_ROUTES, PRODUCT_ROUTES } from './route-lists/sales.route-list.ts';

// The route and function table as plain data: what the topology (CDK, local runtime, OpenAPI
// document) and the tests read, without loading any schema. infra/topology.ts adds the schemas and
// the rules and schedules; both are the one declaration.
//
// Lambda handlers do not import this module: each function's composition imports its own route
// list (infra/route-lists/<function>.route-list.ts) and the roles (infra/route-access.ts). esbuild
// puts a module that both a function's cold-start code and one of its lazy chunks reach into a
// chunk loaded at cold start, whole; were the lists here, a lazy chunk reading the table (the docs
// function's OpenAPI document) or FUNCTIONS would put every context's routes (~22 KB) or every
// function's definition (~7.5 KB) back on the cold path. ROUTE_TABLE is the lists' concatenation,
// and test/infra/route-lists.test.ts holds each list to its function.

export * from './route-access.ts';
export * from './route-lists/analytics.route-list.ts';
export * from './route-lists/campaigns.route-list.ts';
export * from './route-lists/cases.route-list.ts';
export * from './route-lists/consent.route-list.ts';
export * from './route-lists/csat.route-list.ts';
export * from './route-lists/customers.route-list.ts';
export * from './route-lists/docs.route-list.ts';
export * from './route-lists/knowledge.route-list.ts';
export * from './route-lists/sales.route-list.ts';
export { SCHEDULE_TARGETS } from './schedule-targets.ts';

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
    timeoutSeconds: ANALYTICS_JOBS_TIMEOUT_SECONDS,
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

/**
 * Every route, for the topology (CDK, local gateway, OpenAPI document) and the tests: the functions'
 * lists, one after the other.
 */
export const ROUTE_TABLE = /* @__PURE__ */ concatRoutes(CUSTOMER_ROUTES, CASE_ROUTES, CONSENT_ROUTES, CAMPAIGN_ROUTES, KNOWLEDGE_ROUTES, SURVEY_ROUTES, ACCOUNT_ROUTES, PRODUCT_ROUTES, LEAD_ROUTES, OPPORTUNITY_ROUTES, PIPELINE_ROUTES, ACTIVITY_ROUTES, ANALYTICS_ROUTES, ANALYTICS_CUBE_ROUTES, ANALYTICS_CLUSTER_ROUTES, ANALYTICS_FORECAST_ROUTES, DOCS_ROUTES);
