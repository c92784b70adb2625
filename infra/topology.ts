import * as z from '#domain/shared/zod.ts';
import { AssignInput, Case, CasePatch, Comment, CommentInput, CreateCaseInput, Queue, QueueInput } from '#domain/cases/case.schema.ts';
import { SlaPolicyInput, SlaPolicyView } from '#domain/cases/sla-policy.ts';
import { sourcesPattern } from '#events/catalog.ts';
import { CaseEscalated } from '#events/case-escalated.event.ts';
import { URGENT_CASE_PATTERN } from '#events/case-opened.event.ts';
import { CaseSlaBreached } from '#events/case-sla-breached.event.ts';
import { CaseSlaWarning } from '#events/case-sla-warning.event.ts';
import { ConsentRequested } from '#events/consent-requested.event.ts';
import { CustomerErased } from '#events/customer-erased.event.ts';
import { CustomersMerged } from '#events/customers-merged.event.ts';
import { SES_CAMPAIGN_FEEDBACK_PATTERN, SES_FEEDBACK_PATTERN } from '#events/ses-feedback.event.ts';
import { CAMPAIGN_UNSUBSCRIBE_PATTERN } from '#events/consent-withdrawn.event.ts';
import { ArticlePublished } from '#events/article-published.event.ts';
import { ArticleWithdrawn } from '#events/article-withdrawn.event.ts';
import { SURVEY_STATUS_PATTERN } from '#events/case-status-changed.event.ts';
import { CustomerErasureRequested } from '#events/customer-erasure-requested.event.ts';
import { CustomerErasureCancelled } from '#events/customer-erasure-cancelled.event.ts';
import { PURCHASE_INTERACTION_PATTERN } from '#events/interaction-recorded.event.ts';
import { OpportunityWon } from '#events/opportunity-won.event.ts';
import { ConsentCommand, EmailOutcome, LedgerEntry, MarketingEmailInput, PreferencesInput, Suppression, Topic, TopicsInput, TopicState } from '#domain/consent/consent.schema.ts';
import { SuppressionQuery } from '#functions/consent/suppressions.handler.ts';
import { CaseListQuery, CommentListQuery, ReportQuery } from '#functions/cases/case.http.ts';
import { CreateCustomerInput, Customer, CustomerPatch, MergedCustomer, MergeInput } from '#domain/customers/customer.schema.ts';
import { Identity, IdentityInput } from '#domain/customers/identity.ts';
import { BatchInput, Interaction, InteractionInput } from '#domain/customers/interaction.schema.ts';
import { CustomerListQuery, TimelineQuery } from '#functions/customers/customer.http.ts';
import { ConsentResult, CustomerExport, InteractionBatchResult, LinkQuery, OpenApiDocument, OptInForm, SlaReport, UnsubscribeForm } from './response-schemas.ts';
import { CampaignInput, Campaign, CampaignPatch, CampaignReport, PreviewInput, Recipient, RenderedMessage, ScheduleInput, TestInput, TestResult } from '#domain/campaigns/campaign.schema.ts';
import { RulePreviewInput, Segment, SegmentInput, SegmentPreview, Snapshot, SnapshotMember } from '#domain/campaigns/segment.schema.ts';
import { PageQuery, PreviewQuery, RecipientQuery } from '#functions/campaigns/campaign.http.ts';
import { TABLE } from './table.ts';
import { KNOWLEDGE_ROUTE_SCHEMAS } from './route-schemas/knowledge.route-schemas.ts';
import { SELF_SERVICE_ROUTE_SCHEMAS } from './route-schemas/self-service.route-schemas.ts';
import { SURVEY_ROUTE_SCHEMAS } from './route-schemas/surveys.route-schemas.ts';
import { pageOf } from './route-schemas/page.ts';
import { ACCOUNT_ROUTE_SCHEMAS } from './route-schemas/accounts.route-schemas.ts';
import { PRODUCT_ROUTE_SCHEMAS } from './route-schemas/products.route-schemas.ts';
import { LEAD_ROUTE_SCHEMAS } from './route-schemas/leads.route-schemas.ts';
import { OPPORTUNITY_ROUTE_SCHEMAS } from './route-schemas/opportunities.route-schemas.ts';
import { PIPELINE_ROUTE_SCHEMAS } from './route-schemas/pipeline.route-schemas.ts';
import { ACTIVITY_ROUTE_SCHEMAS } from './route-schemas/activities.route-schemas.ts';
import { ANALYTICS_ROUTE_SCHEMAS } from './route-schemas/analytics.route-schemas.ts';
import { ANALYTICS_CUBE_ROUTE_SCHEMAS } from './route-schemas/analytics-cube.route-schemas.ts';
import { ANALYTICS_CLUSTER_ROUTE_SCHEMAS } from './route-schemas/analytics-clusters.route-schemas.ts';
import { ANALYTICS_FORECAST_ROUTE_SCHEMAS } from './route-schemas/analytics-forecasts.route-schemas.ts';
import { OPERATIONS_ROUTE_SCHEMAS } from './route-schemas/operations.route-schemas.ts';
import { AnalyticsJobRequested } from '#events/analytics-job-requested.event.ts';
import { type FunctionName, ROUTE_TABLE, type RouteSpec } from './routes.ts';

// The ONE declaration of what exists. infra/cdk realizes it on AWS, infra/local on this machine;
// neither adds a route, rule or schedule of its own.

export { ROLES, FUNCTIONS, routeKey, ROUTE_TABLE } from './routes.ts';
export type { Role, Access, FunctionDef, FunctionName, RouteSpec, RouteKey } from './routes.ts';

export interface RouteSchemas {
  /** One line for the OpenAPI document (documentation stays out of the handlers' route table). */
  readonly summary: string;
  readonly query?: z.ZodMiniType;
  readonly body?: z.ZodMiniType;
  /** The body is a form (its bodyTypes only: application/x-www-form-urlencoded), not JSON. */
  readonly formBody?: boolean;
  readonly responses: Readonly<Record<number, ResponseSpec>>;
}

export interface ResponseSpec {
  readonly description: string;
  readonly schema?: z.ZodMiniType;
  /** Carries the ETag of the resource. */
  readonly etag?: boolean;
  /** Carries Location: where the created resource lives. */
  readonly location?: boolean;
  /** Carries Retry-After: seconds to wait before asking again (a result still being computed). */
  readonly retryAfter?: boolean;
  /** An HTML page for a person (links in email) instead of JSON. */
  readonly html?: boolean;
  /** JSON by default, and an HTML page for the same resource when the client prefers text/html (a browser following a public link). */
  readonly alsoHtml?: boolean;
}

export type RouteDef = RouteSpec & RouteSchemas;


function optInPages(ok: string) {
  return {
    200: { description: ok, html: true },
    400: { description: 'Link not valid (tampered or missing token)', html: true },
    404: { description: 'Nothing to confirm (the person is gone)', html: true },
    410: { description: 'Link expired or superseded', html: true },
  };
}

/** Request and response schemas per operation (the OpenAPI document and the tests read them). */
const ROUTE_SCHEMAS: Record<(typeof ROUTE_TABLE)[number]['operationId'], RouteSchemas> = {
  ...KNOWLEDGE_ROUTE_SCHEMAS,
  ...SELF_SERVICE_ROUTE_SCHEMAS,
  ...SURVEY_ROUTE_SCHEMAS,
  ...ACCOUNT_ROUTE_SCHEMAS,
  ...PRODUCT_ROUTE_SCHEMAS,
  ...LEAD_ROUTE_SCHEMAS,
  ...OPPORTUNITY_ROUTE_SCHEMAS,
  ...PIPELINE_ROUTE_SCHEMAS,
  ...ACTIVITY_ROUTE_SCHEMAS,
  ...ANALYTICS_ROUTE_SCHEMAS,
  ...ANALYTICS_CUBE_ROUTE_SCHEMAS,
  ...ANALYTICS_CLUSTER_ROUTE_SCHEMAS,
  ...ANALYTICS_FORECAST_ROUTE_SCHEMAS,
  createCustomer: {
    summary: 'Create a customer profile',
    body: CreateCustomerInput,
    responses: {
      201: { description: 'Created', schema: Customer, etag: true, location: true },
      409: { description: 'Email already in use' },
    },
  },
  listCustomers: {
    summary: 'List customers (newest first), or look one up by email or tag',
    query: CustomerListQuery,
    responses: { 200: { description: 'A page of customers', schema: pageOf(Customer) } },
  },
  getCustomer: {
    summary: 'Read a customer profile',
    responses: { 200: { description: 'The customer (or, once merged, where it went)', schema: z.union([Customer, MergedCustomer]), etag: true } },
  },
  patchCustomer: {
    summary: 'Change a customer profile (JSON merge patch)',
    body: CustomerPatch,
    responses: {
      200: { description: 'The updated customer', schema: Customer, etag: true },
      409: { description: 'Email already in use, or the customer was merged or is being erased' },
      412: { description: 'If-Match is stale' },
    },
  },
  deleteCustomer: {
    summary: 'Erase a customer (GDPR): profile, identities, interactions; anonymous aggregates stay',
    responses: {
      204: { description: 'Erased' },
      412: { description: 'If-Match is stale' },
      428: { description: 'If-Match is missing: erasure needs the ETag of the version you read' },
    },
  },
  recordInteraction: {
    summary: "Record an interaction on the customer's timeline",
    body: InteractionInput,
    responses: { 201: { description: 'Recorded', schema: Interaction }, 409: { description: 'The customer was merged into another, or is being erased' } },
  },
  recordInteractions: {
    summary: 'Record 1-25 interactions (click streams), each naming its person by customerId, email or anonymousId',
    body: BatchInput,
    responses: { 200: { description: 'A result per item: created, or the error for that item', schema: InteractionBatchResult } },
  },
  getTimeline: {
    summary: 'Everything that happened with the customer, newest first',
    query: TimelineQuery,
    responses: { 200: { description: 'A page of timeline entries', schema: pageOf(Interaction) } },
  },
  linkIdentity: {
    summary: 'Link an identity (email, phone, externalId, anonymousId); an anonymousId brings its interactions',
    body: IdentityInput,
    responses: {
      201: { description: 'Linked', schema: Identity },
      200: { description: 'Already linked to this customer', schema: Identity },
      409: { description: 'Owned by another customer, or the customer was merged or is being erased' },
    },
  },
  listIdentities: {
    summary: "The customer's identities",
    responses: { 200: { description: 'Identities', schema: pageOf(Identity) } },
  },
  mergeCustomers: {
    summary: 'Merge the source customer into this one',
    body: MergeInput,
    responses: {
      200: { description: 'The merged customer', schema: Customer, etag: true },
      409: { description: 'One of them was merged elsewhere' },
    },
  },
  exportCustomer: {
    summary: 'Everything held about the person (GDPR access and portability)',
    responses: { 200: { description: 'One JSON document', schema: CustomerExport } },
  },
  openCase: {
    summary: 'Open a case for a customer (any channel); its SLA due times come with it',
    body: CreateCaseInput,
    responses: { 201: { description: 'Opened', schema: Case, etag: true, location: true }, 422: { description: 'Unknown customer' } },
  },
  listCases: {
    summary: 'Cases newest first, by status, queue (+status), assignee (+status), priority (+status) or customer',
    query: CaseListQuery,
    responses: { 200: { description: 'A page of cases', schema: pageOf(Case) } },
  },
  getCase: {
    summary: 'Read a case',
    responses: { 200: { description: 'The case', schema: Case, etag: true } },
  },
  patchCase: {
    summary: 'Change subject, priority, queue, tags or status (allowed moves only)',
    body: CasePatch,
    responses: {
      200: { description: 'The updated case', schema: Case, etag: true },
      409: { description: "Status move not allowed, the case is closed, or its customer's erasure began (no new text about them)" },
      412: { description: 'If-Match is stale' },
    },
  },
  addComment: {
    summary: 'Comment on a case (internal unless visibility is public); the first public staff comment is the first response',
    body: CommentInput,
    responses: { 201: { description: 'Added', schema: Comment }, 409: { description: "The case is closed, or its customer's erasure began" } },
  },
  listComments: {
    summary: "A case's comments, oldest first",
    query: CommentListQuery,
    responses: { 200: { description: 'A page of comments', schema: pageOf(Comment) } },
  },
  assignCase: {
    summary: 'Assign to an agent, unassign (null), or {auto: true}: the queue member with the fewest open cases',
    body: AssignInput,
    responses: {
      200: { description: 'The case', schema: Case, etag: true },
      409: { description: 'The case is closed' },
      422: { description: 'The queue has no members' },
    },
  },
  putQueue: {
    summary: 'Configure a queue: members (auto-assignment, also of cases escalated into it), managers (emails), escalateTo',
    body: QueueInput,
    responses: { 200: { description: 'The queue', schema: Queue } },
  },
  getQueue: {
    summary: 'Read a queue',
    responses: { 200: { description: 'The queue', schema: Queue } },
  },
  getSlaPolicy: {
    summary: 'The SLA policy in force',
    responses: { 200: { description: 'The policy', schema: SlaPolicyView, etag: true } },
  },
  putSlaPolicy: {
    summary: 'Save a new SLA policy version (applies to cases opened after it)',
    body: SlaPolicyInput,
    responses: { 200: { description: 'The new version', schema: SlaPolicyView, etag: true }, 412: { description: 'If-Match names a version another save replaced' } },
  },
  slaReport: {
    summary: 'SLA figures for a date range (UTC days; without dates the last 30 days), kept from counters',
    query: ReportQuery,
    responses: { 200: { description: 'The report', schema: SlaReport } },
  },
  getTopics: {
    summary: 'Subscription topics',
    responses: { 200: { description: 'Topics', schema: z.array(Topic) } },
  },
  putTopics: {
    summary: 'Replace the subscription topics',
    body: TopicsInput,
    responses: { 200: { description: 'Topics', schema: z.array(Topic) } },
  },
  getConsents: {
    summary: 'State per topic and the append-only consent ledger',
    responses: { 200: { description: 'Consents', schema: z.object({ topics: z.array(TopicState), ledger: z.array(LedgerEntry) }) } },
  },
  postConsent: {
    summary: 'request (double opt-in email, 202), grant (admin: consent obtained elsewhere), withdraw',
    body: ConsentCommand,
    responses: {
      202: { description: 'Confirmation requested', schema: ConsentResult },
      200: { description: 'Granted or withdrawn', schema: ConsentResult },
      409: { description: 'The customer is being erased or was merged into another' },
      422: { description: 'Unknown topic' },
    },
  },
  optInPage: {
    summary: 'The link in the double opt-in email: a page naming the topic with a button that confirms (GET changes nothing)',
    query: LinkQuery,
    responses: optInPages('Page with the confirm button'),
  },
  confirmOptIn: {
    summary: "Confirms a double opt-in (the page's button; the token in the form body or the query)",
    query: z.object({ token: z.optional(z.string()) }),
    body: OptInForm,
    formBody: true,
    responses: optInPages('Confirmed: a page naming the topic, with a link to the preference page'),
  },
  unsubscribePage: {
    summary: 'The unsubscribe link in every marketing email: a page naming the topic with the buttons (GET changes nothing)',
    query: LinkQuery,
    responses: { 200: { description: 'Page with the unsubscribe buttons', html: true }, 400: { description: 'Link not valid', html: true } },
  },
  unsubscribe: {
    summary: 'RFC 8058 one-click unsubscribe (List-Unsubscribe=One-Click; scope=all for every marketing topic; topic=<id> from the preference page)',
    query: LinkQuery,
    body: UnsubscribeForm,
    formBody: true,
    responses: {
      200: { description: 'Done: a page naming the topics, with no button', html: true },
      400: { description: 'Link not valid, or not a marketing topic', html: true },
      404: { description: 'Nobody to unsubscribe', html: true },
    },
  },
  preferencesPage: {
    summary: 'The preference page for the person an unsubscribe link names: marketing topics, their states, one unsubscribe button each',
    query: LinkQuery,
    responses: { 200: { description: 'Preference page', html: true }, 400: { description: 'Link not valid', html: true }, 404: { description: 'Nobody to show', html: true } },
  },
  listSuppressions: {
    summary: 'Suppressed addresses (hard bounces, complaints), newest first',
    query: SuppressionQuery,
    responses: { 200: { description: 'A page of suppressions', schema: pageOf(Suppression) } },
  },
  deleteSuppression: {
    summary: 'Lift a suppression',
    responses: { 204: { description: 'Lifted' } },
  },
  getMyConsents: {
    summary: "The signed-in customer's topics: true while consent is given or awaits confirmation (the body PUT takes)",
    responses: { 200: { description: 'One flag per topic', schema: PreferencesInput } },
  },
  putMyConsents: {
    summary: 'Preference centre: true starts a double opt-in, false withdraws; a flag that matches the current wish changes nothing',
    body: PreferencesInput,
    responses: { 200: { description: 'One flag per topic', schema: PreferencesInput }, 409: { description: 'The customer is being erased' } },
  },
  sendEmail: {
    summary: 'One marketing email through the consent gate',
    body: MarketingEmailInput,
    responses: { 202: { description: 'Sent or blocked, and why', schema: EmailOutcome } },
  },
  createSegment: {
    summary: 'Create a segment: a rule over profile fields, attributes, tags, stats, consent and case state',
    body: SegmentInput,
    responses: { 201: { description: 'Created', schema: Segment, etag: true, location: true } },
  },
  listSegments: {
    summary: 'Segments, newest first',
    query: PageQuery,
    responses: { 200: { description: 'A page of segments', schema: pageOf(Segment) } },
  },
  getSegment: {
    summary: 'Read a segment',
    responses: { 200: { description: 'The segment', schema: Segment, etag: true } },
  },
  putSegment: {
    summary: 'Replace a segment (If-Match honoured)',
    body: SegmentInput,
    responses: { 200: { description: 'The segment', schema: Segment, etag: true }, 412: { description: 'If-Match is stale' } },
  },
  deleteSegment: {
    summary: 'Delete a segment that no campaign uses',
    responses: { 204: { description: 'Deleted' }, 409: { description: 'A campaign still uses it' }, 412: { description: 'If-Match is stale' } },
  },
  previewSegment: {
    summary: 'Members now: the count and a sample (computed now, a scan)',
    query: PreviewQuery,
    responses: { 200: { description: 'Count and sample', schema: SegmentPreview } },
  },
  previewRule: {
    summary: 'Members now of a rule not saved yet (the editor\'s live count): the count and a sample, computed now (a scan)',
    query: PreviewQuery,
    body: RulePreviewInput,
    responses: { 200: { description: 'Count and sample', schema: SegmentPreview } },
  },
  createSnapshot: {
    summary: 'Freeze the member list now (asynchronous: 202 and the snapshot)',
    responses: { 202: { description: 'Building', schema: Snapshot, location: true } },
  },
  getSnapshot: {
    summary: 'A snapshot: status and count',
    responses: { 200: { description: 'The snapshot', schema: Snapshot } },
  },
  listSnapshotMembers: {
    summary: "A snapshot's members, paged",
    query: PageQuery,
    responses: { 200: { description: 'A page of members', schema: pageOf(SnapshotMember) } },
  },
  createCampaign: {
    summary: 'Create a campaign (draft): topic, template with placeholders, audience segment, schedule or trigger',
    body: CampaignInput,
    responses: { 201: { description: 'Created', schema: Campaign, etag: true, location: true }, 422: { description: 'Unknown segment or topic, or not a marketing topic' } },
  },
  listCampaigns: {
    summary: 'Campaigns, newest first',
    query: PageQuery,
    responses: { 200: { description: 'A page of campaigns', schema: pageOf(Campaign) } },
  },
  getCampaign: {
    summary: 'Read a campaign',
    responses: { 200: { description: 'The campaign', schema: Campaign, etag: true } },
  },
  patchCampaign: {
    summary: 'Change a campaign that is not running (JSON merge patch, If-Match honoured)',
    body: CampaignPatch,
    responses: { 200: { description: 'The campaign', schema: Campaign, etag: true }, 409: { description: 'The campaign is running, completed or cancelled' }, 412: { description: 'If-Match is stale' } },
  },
  scheduleCampaign: {
    summary: 'Schedule a one-off campaign: it starts at `at` (EventBridge Scheduler) and sends to its segment as it is then',
    body: ScheduleInput,
    responses: { 200: { description: 'Scheduled', schema: Campaign, etag: true }, 409: { description: 'Not a draft, or a triggered campaign' }, 412: { description: 'If-Match is stale' } },
  },
  activateCampaign: {
    summary: "Activate a triggered campaign: its own EventBridge rule starts matching its event",
    responses: { 200: { description: 'Active', schema: Campaign, etag: true }, 409: { description: 'Not a draft, or not a triggered campaign' }, 412: { description: 'If-Match is stale' } },
  },
  pauseCampaign: {
    summary: 'Pause: a scheduled campaign does not start, a running one stops sending, a triggered one stops listening',
    responses: { 200: { description: 'Paused', schema: Campaign, etag: true }, 409: { description: 'Nothing to pause' }, 412: { description: 'If-Match is stale' } },
  },
  resumeCampaign: {
    summary: 'Resume a paused campaign where it stopped',
    responses: { 200: { description: 'Resumed', schema: Campaign, etag: true }, 409: { description: 'Not paused' }, 412: { description: 'If-Match is stale' } },
  },
  cancelCampaign: {
    summary: 'Cancel for good: nothing more is sent',
    responses: { 200: { description: 'Cancelled', schema: Campaign, etag: true }, 409: { description: 'Completed or cancelled already' }, 412: { description: 'If-Match is stale' } },
  },
  previewCampaign: {
    summary: 'Render the message for one customer (nothing is sent)',
    body: PreviewInput,
    responses: { 200: { description: 'The message', schema: RenderedMessage }, 422: { description: 'Unknown customer' } },
  },
  testCampaign: {
    summary: 'Send one test message to a staff address, marked as a test and counted nowhere',
    body: TestInput,
    responses: { 202: { description: 'Sent', schema: TestResult }, 422: { description: 'The address is suppressed (address-suppressed)' } },
  },
  campaignReport: {
    summary: 'Outcomes and feedback, kept from counters',
    responses: { 200: { description: 'The report', schema: CampaignReport } },
  },
  listRecipients: {
    summary: 'Per-recipient outcomes, paged',
    query: RecipientQuery,
    responses: { 200: { description: 'A page of recipients', schema: pageOf(Recipient) } },
  },
  getOpenApi: {
    summary: 'This API as an OpenAPI 3.1 document',
    responses: { 200: { description: 'OpenAPI document', schema: OpenApiDocument } },
  },
  ...OPERATIONS_ROUTE_SCHEMAS,
};

export const ROUTES: readonly RouteDef[] = ROUTE_TABLE.map((route) => ({ ...route, ...ROUTE_SCHEMAS[route.operationId] }));



/**
 * A stream batch that keeps failing is retried this often (bisected, so one bad record cannot hold
 * back its neighbours) before its coordinates go to the consumer's failure queue. The outbox
 * record itself stays in the table, so the event can be republished from there. The local stream
 * reader retries as often.
 */
export const STREAM_RETRY_ATTEMPTS = 10;

/** Stream consumers: which function reads the table stream, and the records it wants. */
export const STREAM_CONSUMERS = [
  {
    function: 'outboxPublisher',
    /** Lambda event-source filter: only new outbox records reach the function. */
    filter: { eventName: ['INSERT'], dynamodb: { NewImage: { [TABLE.partitionKey]: { S: [{ prefix: 'OUTBOX#' }] } } } },
    batchSize: 10,
  },
  {
    function: 'audienceScanner',
    /** Scan parts that still have pages: each write of one (start, or a page done) brings its next page. */
    filter: {
      eventName: ['INSERT', 'MODIFY'],
      dynamodb: { NewImage: { [TABLE.partitionKey]: { S: [{ prefix: 'SCAN#' }] }, done: { BOOL: [false] } } },
    },
    batchSize: 1,
    // Each part is its own partition key: the parts of a scan run side by side, each page after page.
    parallelizationFactor: 10,
  },
  {
    function: 'campaignSender',
    /** Queued send batches, new or put back by a resume. A lane is one partition key: its batches come in order. */
    filter: { eventName: ['INSERT', 'MODIFY'], dynamodb: { NewImage: { [TABLE.partitionKey]: { S: [{ prefix: 'SEND#' }] }, status: { S: ['queued'] } } } },
    // One batch (100 recipients) per call; the lanes of a shard run side by side (one per partition key).
    batchSize: 1,
    parallelizationFactor: 10,
  },
  {
    function: 'warehouseExport',
    /**
     * The warehouse reads the stream rather than the bus: every change of an exported item is on it
     * (profiles, timeline entries, cases, consent states, campaign recipients, opportunities) with
     * its whole new image, with no new event to define, publish and keep in step with the items;
     * the bus carries only what contexts chose to announce. The handler keeps the six tables' items
     * of these partitions (warehouse-rows.ts) and ignores the rest.
     */
    filter: {
      eventName: ['INSERT', 'MODIFY'],
      dynamodb: { NewImage: { [TABLE.partitionKey]: { S: [{ prefix: 'CUSTOMER#' }, { prefix: 'CASE#' }, { prefix: 'CONSENT#' }, { prefix: 'OPPORTUNITY#' }] } } },
    },
    // One file per table and day per batch: big batches, gathered for up to a minute on AWS, make
    // fewer and larger Parquet files (Athena reads few large files faster and cheaper than many small ones).
    batchSize: 1000,
    maxBatchingWindowSeconds: 60,
  },
] as const satisfies readonly { function: FunctionName; filter: object; batchSize: number; parallelizationFactor?: number; maxBatchingWindowSeconds?: number }[];

export type RuleTarget = { readonly kind: 'function'; readonly function: FunctionName } | { readonly kind: 'audit-log' };

export interface RuleDef {
  readonly name: string;
  readonly description: string;
  readonly pattern: Record<string, unknown>;
  readonly target: RuleTarget;
}

/** EventBridge rules on the crm bus; patterns come from events/ modules only. */
export const RULES: readonly RuleDef[] = [
  {
    name: 'audit-log',
    description: 'Every domain event to the audit log (metadata and ids only; events carry no personal data)',
    pattern: sourcesPattern(),
    target: { kind: 'audit-log' },
  },
  {
    name: 'case-sla-breached',
    description: 'An SLA breach escalates its case',
    pattern: CaseSlaBreached.pattern,
    target: { kind: 'function', function: 'caseEscalation' },
  },
  {
    name: 'case-escalated-notify',
    description: "An escalation emails the queue's managers",
    pattern: CaseEscalated.pattern,
    target: { kind: 'function', function: 'caseNotifications' },
  },
  {
    name: 'case-sla-warning-notify',
    description: 'An SLA warning emails the assignee',
    pattern: CaseSlaWarning.pattern,
    target: { kind: 'function', function: 'caseNotifications' },
  },
  {
    name: 'urgent-case-notify',
    description: "A case opened as or raised to urgent emails the queue's managers at once",
    pattern: URGENT_CASE_PATTERN,
    target: { kind: 'function', function: 'caseNotifications' },
  },
  {
    name: 'consent-requested-mail',
    description: 'A double opt-in request emails its confirmation link',
    pattern: ConsentRequested.pattern,
    target: { kind: 'function', function: 'optInMail' },
  },
  {
    name: 'ses-feedback',
    description: 'SES bounces and complaints (forwarded from the default bus) to the feedback consumer',
    pattern: SES_FEEDBACK_PATTERN,
    target: { kind: 'function', function: 'emailFeedback' },
  },
  {
    name: 'customer-erased-consent',
    description: "An erased customer's consent ledger keeps only anonymous proof",
    pattern: CustomerErased.pattern,
    target: { kind: 'function', function: 'consentErasure' },
  },
  {
    name: 'customer-erased-leads',
    description: "An erased customer's leads go with it, its activities lose the link",
    pattern: CustomerErased.pattern,
    target: { kind: 'function', function: 'leadErasure' },
  },
  {
    name: 'customers-merged-cases',
    description: "A merged-away customer's cases follow it to the target",
    pattern: CustomersMerged.pattern,
    target: { kind: 'function', function: 'caseMerge' },
  },
  {
    name: 'customer-erased-cases',
    description: "An erased customer's cases lose their text",
    pattern: CustomerErased.pattern,
    target: { kind: 'function', function: 'caseErasure' },
  },
  {
    name: 'ses-campaign-feedback',
    description: 'SES deliveries, bounces and complaints of campaign mail (tagged campaign) to its report',
    pattern: SES_CAMPAIGN_FEEDBACK_PATTERN,
    target: { kind: 'function', function: 'campaignFeedback' },
  },
  {
    name: 'campaign-unsubscribe',
    description: "Unsubscribes through a campaign mail's link to its report",
    pattern: CAMPAIGN_UNSUBSCRIBE_PATTERN,
    target: { kind: 'function', function: 'campaignFeedback' },
  },
  {
    name: 'erasure-requested-schedule',
    description: "A person's own erasure request is scheduled for the end of its grace period",
    pattern: CustomerErasureRequested.pattern,
    target: { kind: 'function', function: 'scheduledErasure' },
  },
  {
    name: 'erasure-cancelled-unschedule',
    description: 'A cancelled erasure request loses its schedule',
    pattern: CustomerErasureCancelled.pattern,
    target: { kind: 'function', function: 'scheduledErasure' },
  },
  {
    name: 'article-published-index',
    description: 'A published revision enters its locale\'s search index',
    pattern: ArticlePublished.pattern,
    target: { kind: 'function', function: 'searchIndexer' },
  },
  {
    name: 'article-withdrawn-index',
    description: 'An archived or deleted article leaves its locale\'s search index',
    pattern: ArticleWithdrawn.pattern,
    target: { kind: 'function', function: 'searchIndexer' },
  },
  {
    name: 'case-status-survey',
    description: 'A solved case schedules its satisfaction survey; a reopened one cancels it',
    pattern: SURVEY_STATUS_PATTERN,
    target: { kind: 'function', function: 'csatSurveys' },
  },
  {
    name: 'customer-erased-surveys',
    description: "An erased customer's survey answers lose their comments",
    pattern: CustomerErased.pattern,
    target: { kind: 'function', function: 'csatSurveys' },
  },
  {
    name: 'purchase-interactions',
    description: 'A purchase interaction updates the product co-occurrence counters (once per interaction)',
    pattern: PURCHASE_INTERACTION_PATTERN,
    target: { kind: 'function', function: 'purchases' },
  },
  {
    name: 'customers-merged-sales',
    description: "A merged-away customer's account contact links and owned products follow it to the target",
    pattern: CustomersMerged.pattern,
    target: { kind: 'function', function: 'purchases' },
  },
  {
    name: 'won-opportunities',
    description: "A won opportunity's products count as purchases of its account's contacts (once per contact)",
    pattern: OpportunityWon.pattern,
    target: { kind: 'function', function: 'wonOpportunities' },
  },
  {
    name: 'analytics-purchases',
    description: "A purchase interaction with a value becomes an analytics purchase (once per interaction)",
    pattern: PURCHASE_INTERACTION_PATTERN,
    target: { kind: 'function', function: 'analyticsFeed' },
  },
  {
    name: 'analytics-won-opportunities',
    description: "A won opportunity's amount becomes analytics purchases of its account's contacts (an even share each, once per contact)",
    pattern: OpportunityWon.pattern,
    target: { kind: 'function', function: 'analyticsFeed' },
  },
  {
    name: 'customers-merged-analytics',
    description: "A merged-away customer's analytics purchases follow it to the target; its scores go, the target's are refreshed",
    pattern: CustomersMerged.pattern,
    target: { kind: 'function', function: 'analyticsFeed' },
  },
  {
    name: 'analytics-jobs',
    description: 'A requested analytics job (a customer value fit) runs in the jobs worker',
    pattern: AnalyticsJobRequested.pattern,
    target: { kind: 'function', function: 'analyticsJobs' },
  },
];

export interface ScheduleDef {
  readonly name: string;
  readonly description: string;
  /** Fixed rate; the local scheduler and EventBridge Scheduler both use it. */
  readonly everyMinutes: number;
  readonly function: FunctionName;
}

/** Time-driven work (SLA timers and scheduled campaigns arrive with their issues). */
export const SCHEDULES: readonly ScheduleDef[] = [
  {
    name: 'sla-sweep',
    description: 'Finds SLA milestones that became due (a sparse index query) within a minute of their due time',
    everyMinutes: 1,
    function: 'slaSweeper',
  },
  {
    name: 'outbox-sweep',
    description: 'Publishes outbox records still pending 30 minutes after their write (the stream gave up on them): nothing waits unpublished for good',
    everyMinutes: 15,
    function: 'outboxSweeper',
  },
];


/**
 * How Lambda retries an asynchronous invocation that failed (AWS::Lambda::EventInvokeConfig), for
 * every function invoked asynchronously: rule targets, schedule targets, one-off schedule targets
 * and the campaign trigger. Lambda waits about 1 minute before the first retry and 2 before the
 * second; an event older than maxEventAgeSeconds (60 s to 6 h) is not tried again. After that the
 * event goes to the function's dead-letter queue (`npm run redrive` puts it back).
 */
export interface AsyncInvokeDef {
  readonly retryAttempts: 0 | 1 | 2;
  readonly maxEventAgeSeconds: number;
}

/** Events and one-off schedules: each is the only chance of its work, so every retry Lambda allows, for as long as it keeps them. */
const CONSUMER_RETRIES: AsyncInvokeDef = { retryAttempts: 2, maxEventAgeSeconds: 6 * 3600 };

export const ASYNC_INVOKE = {
  // A tick is superseded by the next: no retry (a retry 1 minute later would run next to the next
  // minute's tick), and an event queued for a minute (throttling) is dropped, as the next tick has come.
  slaSweeper: { retryAttempts: 0, maxEventAgeSeconds: 60 },
  // Every 15 minutes, up to 5 minutes a run: no retry (the next tick takes what is left), and an
  // event queued for 10 minutes is dropped so that a late run still ends before the next tick.
  outboxSweeper: { retryAttempts: 0, maxEventAgeSeconds: 600 },
  caseEscalation: CONSUMER_RETRIES,
  caseNotifications: CONSUMER_RETRIES,
  caseMerge: CONSUMER_RETRIES,
  caseErasure: CONSUMER_RETRIES,
  optInMail: CONSUMER_RETRIES,
  emailFeedback: CONSUMER_RETRIES,
  consentErasure: CONSUMER_RETRIES,
  campaignStarter: CONSUMER_RETRIES,
  campaignTrigger: CONSUMER_RETRIES,
  campaignFeedback: CONSUMER_RETRIES,
  scheduledErasure: CONSUMER_RETRIES,
  searchIndexer: CONSUMER_RETRIES,
  csatSurveys: CONSUMER_RETRIES,
  activityReminders: CONSUMER_RETRIES,
  leadErasure: CONSUMER_RETRIES,
  purchases: CONSUMER_RETRIES,
  wonOpportunities: CONSUMER_RETRIES,
  analyticsFeed: CONSUMER_RETRIES,
  // Up to 15 minutes at 3 GB a run: one retry (a transient table error), not two more whole fits;
  // the job item says it failed and POST .../fit asks again.
  analyticsJobs: { retryAttempts: 1, maxEventAgeSeconds: 3600 },
} as const satisfies Partial<Record<FunctionName, AsyncInvokeDef>>;
