import * as z from 'zod';
import { AssignInput, Case, CasePatch, Comment, CommentInput, CreateCaseInput, Queue, QueueInput } from '#domain/cases/case.schema.ts';
import { SlaPolicyInput, SlaPolicyView } from '#domain/cases/sla-policy.ts';
import { sourcesPattern } from '#events/catalog.ts';
import { CaseEscalated } from '#events/case-escalated.event.ts';
import { URGENT_CASE_PATTERN } from '#events/case-opened.event.ts';
import { CaseSlaBreached } from '#events/case-sla-breached.event.ts';
import { CaseSlaWarning } from '#events/case-sla-warning.event.ts';
import { CustomerErased } from '#events/customer-erased.event.ts';
import { SES_FEEDBACK_PATTERN } from '#events/ses-feedback.event.ts';
import { ConsentCommand, EmailOutcome, LedgerEntry, MarketingEmailInput, PreferencesInput, Suppression, Topic, TopicsInput, TopicState } from '#domain/consent/consent.schema.ts';
import { SuppressionQuery } from '#functions/consent/suppressions.handler.ts';
import { CaseListQuery, CommentListQuery, ReportQuery } from '#functions/cases/case.http.ts';
import { CreateCustomerInput, Customer, CustomerPatch, MergedCustomer, MergeInput } from '#domain/customers/customer.schema.ts';
import { Identity, IdentityInput } from '#domain/customers/identity.ts';
import { BatchInput, BatchResult, Interaction, InteractionInput } from '#domain/customers/interaction.schema.ts';
import { CustomerListQuery, TimelineQuery } from '#functions/customers/customer.http.ts';
import { TABLE } from './table.ts';

// The ONE declaration of what exists. infra/cdk realizes it on AWS, infra/local on this machine;
// neither adds a route, rule or schedule of its own.

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

export interface RouteDef {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly function: FunctionName;
  readonly operationId: string;
  readonly summary: string;
  /** 'public' routes have no authorizer; others need a token whose groups include one of these. */
  readonly access: 'public' | readonly Role[];
  readonly query?: z.ZodType;
  readonly body?: z.ZodType;
  /** Body content types accepted besides application/json. */
  readonly bodyTypes?: readonly string[];
  readonly idempotent?: boolean;
  readonly responses: Readonly<Record<number, { description: string; schema?: z.ZodType; etag?: boolean }>>;
}

export const ROUTES = [
  {
    method: 'POST',
    path: '/customers',
    function: 'customers',
    operationId: 'createCustomer',
    summary: 'Create a customer profile',
    access: STAFF_WRITE,
    body: CreateCustomerInput,
    idempotent: true,
    responses: {
      201: { description: 'Created', schema: Customer, etag: true },
      409: { description: 'Email already in use' },
    },
  },
  {
    method: 'GET',
    path: '/customers',
    function: 'customers',
    operationId: 'listCustomers',
    summary: 'List customers (newest first), or look one up by email or tag',
    access: STAFF_READ,
    query: CustomerListQuery,
    responses: { 200: { description: 'A page of customers', schema: pageOf(Customer) } },
  },
  {
    method: 'GET',
    path: '/customers/{id}',
    function: 'customers',
    operationId: 'getCustomer',
    summary: 'Read a customer profile',
    access: STAFF_READ,
    responses: { 200: { description: 'The customer (or, once merged, where it went)', schema: z.union([Customer, MergedCustomer]), etag: true } },
  },
  {
    method: 'PATCH',
    path: '/customers/{id}',
    function: 'customers',
    operationId: 'patchCustomer',
    summary: 'Change a customer profile (JSON merge patch)',
    access: STAFF_WRITE,
    body: CustomerPatch,
    bodyTypes: ['application/merge-patch+json'],
    responses: {
      200: { description: 'The updated customer', schema: Customer, etag: true },
      409: { description: 'Email already in use' },
      412: { description: 'If-Match is stale' },
    },
  },
  {
    method: 'DELETE',
    path: '/customers/{id}',
    function: 'customers',
    operationId: 'deleteCustomer',
    summary: 'Erase a customer (GDPR): profile, identities, interactions; anonymous aggregates stay',
    access: STAFF_WRITE,
    responses: { 204: { description: 'Erased' }, 412: { description: 'If-Match is stale' } },
  },
  {
    method: 'POST',
    path: '/customers/{id}/interactions',
    function: 'customers',
    operationId: 'recordInteraction',
    summary: "Record an interaction on the customer's timeline",
    access: STAFF_WRITE,
    body: InteractionInput,
    responses: { 201: { description: 'Recorded', schema: Interaction }, 409: { description: 'The customer was merged into another' } },
  },
  {
    method: 'POST',
    path: '/interactions',
    function: 'customers',
    operationId: 'recordInteractions',
    summary: 'Record 1-25 interactions (click streams), each naming its person by customerId, email or anonymousId',
    access: STAFF_WRITE,
    body: BatchInput,
    responses: { 200: { description: 'A result per item: created, or the error for that item', schema: BatchResult } },
  },
  {
    method: 'GET',
    path: '/customers/{id}/timeline',
    function: 'customers',
    operationId: 'getTimeline',
    summary: 'Everything that happened with the customer, newest first',
    access: STAFF_READ,
    query: TimelineQuery,
    responses: { 200: { description: 'A page of timeline entries', schema: pageOf(Interaction) } },
  },
  {
    method: 'POST',
    path: '/customers/{id}/identities',
    function: 'customers',
    operationId: 'linkIdentity',
    summary: 'Link an identity (email, phone, externalId, anonymousId); an anonymousId brings its interactions',
    access: STAFF_WRITE,
    body: IdentityInput,
    responses: {
      201: { description: 'Linked', schema: Identity },
      200: { description: 'Already linked to this customer', schema: Identity },
      409: { description: 'Owned by another customer' },
    },
  },
  {
    method: 'GET',
    path: '/customers/{id}/identities',
    function: 'customers',
    operationId: 'listIdentities',
    summary: "The customer's identities",
    access: STAFF_READ,
    responses: { 200: { description: 'Identities', schema: pageOf(Identity) } },
  },
  {
    method: 'POST',
    path: '/customers/{id}/merge',
    function: 'customers',
    operationId: 'mergeCustomers',
    summary: 'Merge the source customer into this one',
    access: STAFF_WRITE,
    body: MergeInput,
    responses: {
      200: { description: 'The merged customer', schema: Customer, etag: true },
      409: { description: 'One of them was merged elsewhere' },
    },
  },
  {
    method: 'GET',
    path: '/customers/{id}/export',
    function: 'customers',
    operationId: 'exportCustomer',
    summary: 'Everything held about the person (GDPR access and portability)',
    access: DATA_PROTECTION,
    responses: { 200: { description: 'One JSON document' } },
  },
  {
    method: 'POST',
    path: '/cases',
    function: 'cases',
    operationId: 'openCase',
    summary: 'Open a case for a customer (any channel); its SLA due times come with it',
    access: CASE_WORK,
    body: CreateCaseInput,
    idempotent: true,
    responses: { 201: { description: 'Opened', schema: Case, etag: true }, 422: { description: 'Unknown customer' } },
  },
  {
    method: 'GET',
    path: '/cases',
    function: 'cases',
    operationId: 'listCases',
    summary: 'Cases newest first, by status, queue (+status), assignee (+status), priority (+status) or customer',
    access: CASE_WORK,
    query: CaseListQuery,
    responses: { 200: { description: 'A page of cases', schema: pageOf(Case) } },
  },
  {
    method: 'GET',
    path: '/cases/{id}',
    function: 'cases',
    operationId: 'getCase',
    summary: 'Read a case',
    access: CASE_WORK,
    responses: { 200: { description: 'The case', schema: Case, etag: true } },
  },
  {
    method: 'PATCH',
    path: '/cases/{id}',
    function: 'cases',
    operationId: 'patchCase',
    summary: 'Change subject, priority, queue, tags or status (allowed moves only)',
    access: CASE_WORK,
    body: CasePatch,
    bodyTypes: ['application/merge-patch+json'],
    responses: {
      200: { description: 'The updated case', schema: Case, etag: true },
      409: { description: 'Status move not allowed, or the case is closed' },
      412: { description: 'If-Match is stale' },
    },
  },
  {
    method: 'POST',
    path: '/cases/{id}/comments',
    function: 'cases',
    operationId: 'addComment',
    summary: 'Comment on a case (public or internal); the first public staff comment is the first response',
    access: CASE_WORK,
    body: CommentInput,
    responses: { 201: { description: 'Added', schema: Comment }, 409: { description: 'The case is closed' } },
  },
  {
    method: 'GET',
    path: '/cases/{id}/comments',
    function: 'cases',
    operationId: 'listComments',
    summary: "A case's comments, oldest first",
    access: CASE_WORK,
    query: CommentListQuery,
    responses: { 200: { description: 'A page of comments', schema: pageOf(Comment) } },
  },
  {
    method: 'POST',
    path: '/cases/{id}/assign',
    function: 'cases',
    operationId: 'assignCase',
    summary: 'Assign to an agent, unassign (null), or {auto: true}: the queue member with the fewest open cases',
    access: CASE_WORK,
    body: AssignInput,
    responses: { 200: { description: 'The case', schema: Case, etag: true }, 422: { description: 'The queue has no members' } },
  },
  {
    method: 'PUT',
    path: '/queues/{name}',
    function: 'cases',
    operationId: 'putQueue',
    summary: 'Configure a queue: members, managers (emails), escalateTo',
    access: CONFIGURE,
    body: QueueInput,
    responses: { 200: { description: 'The queue', schema: Queue } },
  },
  {
    method: 'GET',
    path: '/queues/{name}',
    function: 'cases',
    operationId: 'getQueue',
    summary: 'Read a queue',
    access: CASE_WORK,
    responses: { 200: { description: 'The queue', schema: Queue } },
  },
  {
    method: 'GET',
    path: '/sla-policy',
    function: 'cases',
    operationId: 'getSlaPolicy',
    summary: 'The SLA policy in force',
    access: CASE_WORK,
    responses: { 200: { description: 'The policy', schema: SlaPolicyView } },
  },
  {
    method: 'PUT',
    path: '/sla-policy',
    function: 'cases',
    operationId: 'putSlaPolicy',
    summary: 'Save a new SLA policy version (applies to cases opened after it)',
    access: CONFIGURE,
    body: SlaPolicyInput,
    responses: { 200: { description: 'The new version', schema: SlaPolicyView } },
  },
  {
    method: 'GET',
    path: '/reports/sla',
    function: 'cases',
    operationId: 'slaReport',
    summary: 'SLA figures for a date range (UTC days), kept from counters',
    access: REPORTS,
    query: ReportQuery,
    responses: { 200: { description: 'The report' } },
  },
  {
    method: 'GET',
    path: '/topics',
    function: 'consent',
    operationId: 'getTopics',
    summary: 'Subscription topics',
    access: ANY_USER,
    responses: { 200: { description: 'Topics', schema: z.array(Topic) } },
  },
  {
    method: 'PUT',
    path: '/topics',
    function: 'consent',
    operationId: 'putTopics',
    summary: 'Replace the subscription topics',
    access: CONFIGURE,
    body: TopicsInput,
    responses: { 200: { description: 'Topics', schema: z.array(Topic) } },
  },
  {
    method: 'GET',
    path: '/customers/{id}/consents',
    function: 'consent',
    operationId: 'getConsents',
    summary: 'State per topic and the append-only consent ledger',
    access: STAFF_READ,
    responses: { 200: { description: 'Consents', schema: z.object({ topics: z.array(TopicState), ledger: z.array(LedgerEntry) }) } },
  },
  {
    method: 'POST',
    path: '/customers/{id}/consents',
    function: 'consent',
    operationId: 'postConsent',
    summary: 'request (double opt-in email, 202), grant (admin: consent obtained elsewhere), withdraw',
    access: ['admin', 'manager', 'agent', 'marketer'],
    body: ConsentCommand,
    responses: { 202: { description: 'Confirmation requested' }, 200: { description: 'Granted or withdrawn' }, 422: { description: 'Unknown topic' } },
  },
  {
    method: 'GET',
    path: '/optin/confirm',
    function: 'consent',
    operationId: 'confirmOptIn',
    summary: 'The link in the double opt-in email (an HTML page)',
    access: 'public',
    responses: { 200: { description: 'Confirmed (HTML)' }, 410: { description: 'Expired (HTML)' } },
  },
  {
    method: 'GET',
    path: '/unsubscribe',
    function: 'consent',
    operationId: 'unsubscribePage',
    summary: 'The unsubscribe link in every marketing email (an HTML page to confirm)',
    access: 'public',
    responses: { 200: { description: 'Confirmation page (HTML)' } },
  },
  {
    method: 'POST',
    path: '/unsubscribe',
    function: 'consent',
    operationId: 'unsubscribe',
    summary: 'RFC 8058 one-click unsubscribe (form body List-Unsubscribe=One-Click; scope=all for every marketing topic)',
    access: 'public',
    bodyTypes: ['application/x-www-form-urlencoded'],
    responses: { 200: { description: 'Unsubscribed (HTML)' } },
  },
  {
    method: 'GET',
    path: '/suppressions',
    function: 'consent',
    operationId: 'listSuppressions',
    summary: 'Suppressed addresses (hard bounces, complaints), newest first',
    access: CONFIGURE,
    query: SuppressionQuery,
    responses: { 200: { description: 'A page of suppressions', schema: pageOf(Suppression) } },
  },
  {
    method: 'DELETE',
    path: '/suppressions/{email}',
    function: 'consent',
    operationId: 'deleteSuppression',
    summary: 'Lift a suppression',
    access: CONFIGURE,
    responses: { 204: { description: 'Lifted' } },
  },
  {
    method: 'GET',
    path: '/me/consents',
    function: 'consent',
    operationId: 'getMyConsents',
    summary: "The signed-in customer's topics",
    access: CUSTOMER,
    responses: { 200: { description: 'Topics', schema: z.array(TopicState) } },
  },
  {
    method: 'PUT',
    path: '/me/consents',
    function: 'consent',
    operationId: 'putMyConsents',
    summary: 'Preference centre: true starts a double opt-in, false withdraws',
    access: CUSTOMER,
    body: PreferencesInput,
    responses: { 200: { description: 'Topics', schema: z.array(TopicState) } },
  },
  {
    method: 'POST',
    path: '/customers/{id}/emails',
    function: 'consent',
    operationId: 'sendEmail',
    summary: 'One marketing email through the consent gate',
    access: MARKETING,
    body: MarketingEmailInput,
    responses: { 202: { description: 'Sent or blocked, and why', schema: EmailOutcome } },
  },
  {
    method: 'GET',
    path: '/openapi.json',
    function: 'docs',
    operationId: 'getOpenApi',
    summary: 'This API as an OpenAPI 3.1 document',
    access: 'public',
    responses: { 200: { description: 'OpenAPI document' } },
  },
] as const satisfies readonly RouteDef[];

export type RouteKey = `${RouteDef['method']} ${string}`;
export const routeKey = (r: Pick<RouteDef, 'method' | 'path'>): RouteKey => `${r.method} ${r.path}`;

/** Stream consumers: which function reads the table stream, and the records it wants. */
export const STREAM_CONSUMERS = [
  {
    function: 'outboxPublisher',
    /** Lambda event-source filter: only new outbox records reach the function. */
    filter: { eventName: ['INSERT'], dynamodb: { NewImage: { [TABLE.partitionKey]: { S: [{ prefix: 'OUTBOX#' }] } } } },
    batchSize: 10,
  },
] as const satisfies readonly { function: FunctionName; filter: object; batchSize: number }[];

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
    name: 'customer-erased-cases',
    description: "An erased customer's cases lose their text",
    pattern: CustomerErased.pattern,
    target: { kind: 'function', function: 'caseErasure' },
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
];

function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}
