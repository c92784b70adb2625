import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock, IdGenerator, ScheduleTarget } from '#domain/shared/ports.ts';
import { createSesClient } from '#functions/shared/ses-client.ts';
import { jitteredPause } from '#functions/shared/system.ts';
import type { TokenKeys } from '#functions/shared/token-keys.ts';
import { EVENT_BUS_NAME } from '#events/define-event.ts';
import { caseErasureHandler, caseMergeHandler, escalationHandler, notificationHandler, slaSweepHandler } from '#functions/cases/case-events.handlers.ts';
import { casesHandler } from '#functions/cases/cases.app.ts';
import { caseNotificationsFor, caseRepository, caseUseCasesFor, publishedArticlesFor } from '#functions/cases/cases.composition.ts';
import { campaignsHandler } from '#functions/campaigns/campaigns.app.ts';
import { audienceFor, audienceSinksFor, campaignsAppFor } from '#functions/campaigns/campaigns.composition.ts';
import { audienceScannerHandler } from '#functions/campaigns/audience-scanner.handler.ts';
import { campaignControlFor } from '#functions/campaigns/campaign-control.ts';
import { campaignTriggerHandler } from '#functions/campaigns/campaign-trigger.handler.ts';
import { campaignFeedbackHandler } from '#functions/campaigns/campaign-feedback.handler.ts';
import { dynamoFeedbackCounters } from '#functions/campaigns/campaign-feedback.dynamodb.ts';
import { campaignTriggerFor } from '#functions/campaigns/campaign-trigger.composition.ts';
import { DEFAULT_SEND_LANES } from '#functions/campaigns/delivery.config.ts';
import { campaignDeliveryFor, campaignSendingFor, campaignSenderFor, campaignStarterFor } from '#functions/campaigns/delivery.composition.ts';
import { campaignSenderHandler, campaignStarterHandler } from '#functions/campaigns/delivery.handlers.ts';
import { consentHandler } from '#functions/consent/consent.app.ts';
import { consentAppFor, consentRecordsFor, optInMailFor } from '#functions/consent/consent.composition.ts';
import { consentErasureHandler, emailFeedbackHandler, optInMailHandler } from '#functions/consent/consent-events.handlers.ts';
import { dynamoCustomerRepository } from '#functions/customers/customer.dynamodb-repository.ts';
import { customersHandler } from '#functions/customers/customers.app.ts';
import { dynamoErasureRequests } from '#functions/customers/erasure-request.dynamodb-repository.ts';
import { erasureRunFor } from '#functions/customers/scheduled-erasure.composition.ts';
import { scheduledErasureHandler } from '#functions/customers/scheduled-erasure.handler.ts';
import { docsHandler } from '#functions/docs/docs.app.ts';
import type { UsagePorts } from '#functions/docs/get-usage.handler.ts';
import { salesHandler } from '#functions/sales/sales.app.ts';
import { leadAppFor } from '#functions/sales/lead.composition.ts';
import { leadErasureHandler } from '#functions/sales/lead-erasure.handler.ts';
import { unscheduledActivitiesFor } from '#functions/sales/activity.composition.ts';
import { purchaseConsumerFor, salesMergeConsumerFor } from '#functions/sales/product.composition.ts';
import { purchasesHandler } from '#functions/sales/purchases.handler.ts';
import { wonOpportunityConsumerFor } from '#functions/sales/opportunity.composition.ts';
import { wonOpportunitiesHandler } from '#functions/sales/won-opportunities.handler.ts';
import { analyticsFeedHandler } from '#functions/analytics/analytics-feed.handler.ts';
import { analyticsFeedConsumersFor } from '#functions/analytics/analytics.composition.ts';
import { clvUseCasesFor } from '#functions/analytics/clv.part.ts';
import { analyticsHandler } from '#functions/analytics/analytics.app.ts';
import { forecastPortsFor } from '#functions/analytics/forecasts.part.ts';
import { analyticsJobsHandler } from '#functions/analytics/analytics-jobs.handler.ts';
import { clusterPortsFor } from '#functions/analytics/clusters.part.ts';
import { DEFAULT_ANALYTICS_CURRENCY } from '#functions/analytics/analytics.config.ts';
// The cube reads the local warehouse with DuckDB (a devDependency: only this runtime loads it, never a Lambda).
import { duckDbCubeEngine } from '#functions/analytics/cube-duckdb.engine.ts';
import { cubePortsFor } from '#functions/analytics/cube.part.ts';
import { knowledgeHandler } from '#functions/knowledge/knowledge.app.ts';
import { authoringPortsFor, helpAppFor } from '#functions/knowledge/knowledge.composition.ts';
import { searchIndexerFor } from '#functions/knowledge/search.part.ts';
import { searchIndexerHandler } from '#functions/knowledge/search-indexer.handler.ts';
import { csatHandler } from '#functions/surveys/csat.app.ts';
import { csatSurveysHandler } from '#functions/surveys/csat-surveys.handler.ts';
import { activityRemindersFor, activityRemindersHandler } from '#functions/sales/activity-reminders.handler.ts';
import { csatDepsFor, surveyMailFor } from '#functions/surveys/surveys.composition.ts';
import { DEFAULT_DELAY_SECONDS } from '#domain/surveys/survey.ts';
import { eventBridgePublisher } from '#functions/outbox/eventbridge-publisher.ts';
import { dynamoOutboxStore } from '#functions/outbox/outbox.dynamodb-store.ts';
import { sweepOutboxHandler } from '#functions/outbox/sweep-outbox.handler.ts';
import { publishOutboxHandler } from '#functions/outbox/publish-outbox.handler.ts';
import { fileObjectStore } from '#functions/warehouse/file-object-store.ts';
import { warehouseExportFor } from '#functions/warehouse/warehouse.composition.ts';
import { warehouseExportHandler } from '#functions/warehouse/warehouse-export.handler.ts';
import type { CampaignControlSettings } from '#functions/campaigns/campaign-control.ts';
import { ROUTE_TABLE, SCHEDULE_GROUP, SCHEDULE_TARGETS } from '../routes.ts';
import { observedConsumer } from '#functions/shared/observed-consumer.ts';
import type { FunctionName } from '../topology.ts';
import { LOCAL_AWS } from './dynamodb-local.ts';
import { withMessageTags } from './ses-feedback.ts';
import { LOCAL_ACCOUNT, localFunctionArn } from './local-arns.ts';

export interface LocalPorts {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly busEndpoint: string;
  readonly sesEndpoint: string;
  /** The link-token keys: the local adapter of the TokenKeys port (functions/shared/token-keys.ts), read on first use as on AWS. */
  readonly tokenKeys: TokenKeys;
  /** The local API's base URL, for links in mail sent outside a request (known once it listens). */
  readonly linkBase?: () => string;
  /** Campaign mail per second (0, the default here: unpaced, for tests and benchmarks). */
  readonly campaignSendRate?: number;
  /**
   * Campaign rules and one-off schedules on the local bus and scheduler: hand it to
   * `campaignControlFor(campaignControl, clock)` (functions/campaigns/campaign-control.ts), as the
   * Lambdas hand it `campaignControlConfig()`, and its `schedules` to `oneOffSchedulesFor`
   * (functions/shared/one-off-schedules.ts), as they hand it `scheduleConfig()`.
   */
  readonly campaignControl: CampaignControlSettings;
  /** ERASURE_GRACE_DAYS: days between DELETE /me and the erasure (7 when absent). */
  readonly erasureGraceDays?: number;
  /** Seconds from a case's solving to its satisfaction survey (CSAT_DELAY_SECONDS; default an hour). */
  readonly csatDelaySeconds?: number;
  /** ANALYTICS_CURRENCY: purchases naming no currency are in it, the models are fitted in it (EUR when absent). */
  readonly analyticsCurrency?: string;
  /** The local warehouse folder (CRM_DATA_DIR/warehouse or a temporary one): the export's Parquet files. */
  readonly warehouseDir: string;
  /** GET /usage: the runtime's aggregator of its handlers' metering lines, and the price table. */
  readonly usage: UsagePorts;
}

/** The local bus and scheduler as the control-plane adapters see them, with local ARNs for the targets. */
export function localCampaignControl(endpoints: { bus: string; scheduler: string }): CampaignControlSettings {
  // Locally, deliveries that fail every retry go to the data directory's dead-letter folders.
  const deadLetterArn = `arn:aws:sqs:${LOCAL_AWS.region}:${LOCAL_ACCOUNT}:local-dead-letters`;
  return {
    triggerArn: localFunctionArn('campaignTrigger' satisfies FunctionName),
    deadLetterArn,
    schedules: {
      group: SCHEDULE_GROUP,
      roleArn: `arn:aws:iam::${LOCAL_ACCOUNT}:role/local-scheduler`,
      targets: Object.fromEntries(SCHEDULE_TARGETS.map((name) => [name, localFunctionArn(name)])) as Record<ScheduleTarget, string>,
      deadLetterArn,
      scheduler: { endpoint: endpoints.scheduler, ...LOCAL_AWS },
    },
    eventBridge: { endpoint: endpoints.bus, ...LOCAL_AWS },
  };
}

/** The sender address of local mail (AWS takes it from the stack's SES identity). */
export const LOCAL_EMAIL_FROM = 'crm@localhost.test';

/**
 * Each function of the topology built from the same factories its Lambda composition root uses,
 * with local adapters: DynamoDB Local, the local bus, aws-ses-v2-local, the virtual clock.
 */
export function localFunctions({ client, tableName, clock, ids, busEndpoint, sesEndpoint, tokenKeys, linkBase, campaignSendRate, campaignControl, erasureGraceDays, csatDelaySeconds, analyticsCurrency, warehouseDir, usage }: LocalPorts) {
  const eventBridge = new EventBridgeClient({ endpoint: busEndpoint, ...LOCAL_AWS });
  // Message tags reach the local SES feedback's events as AWS's do (ses-feedback.ts).
  const ses = withMessageTags(createSesClient({ endpoint: sesEndpoint, ...LOCAL_AWS }));
  const infra = { client, tableName, clock, ids };
  const mail = { ses, email: { from: LOCAL_EMAIL_FROM }, tokenKeys };
  const sending = { sendRate: campaignSendRate ?? 0, lanes: DEFAULT_SEND_LANES, linkBase: linkBase ?? (() => 'http://127.0.0.1') };
  const control = campaignControlFor(campaignControl, clock);
  const audience = audienceFor(infra);
  const analytics = { currency: analyticsCurrency ?? DEFAULT_ANALYTICS_CURRENCY };
  return observeConsumers({
    customers: customersHandler({
      customers: dynamoCustomerRepository(infra),
      clock,
      ids,
      retry: jitteredPause,
      erasureRequests: dynamoErasureRequests(infra),
      ...(erasureGraceDays !== undefined ? { erasureGraceDays } : {}),
    }),
    cases: casesHandler({ cases: caseRepository(infra), clock, ids, articles: publishedArticlesFor(infra) }),
    slaSweeper: slaSweepHandler(caseUseCasesFor(infra)),
    caseEscalation: escalationHandler(caseUseCasesFor(infra)),
    caseNotifications: notificationHandler(caseNotificationsFor(infra, ses, { from: LOCAL_EMAIL_FROM })),
    caseMerge: caseMergeHandler(caseUseCasesFor(infra)),
    caseErasure: caseErasureHandler(caseRepository(infra)),
    consent: consentHandler(consentAppFor(infra, ses, { from: LOCAL_EMAIL_FROM }, tokenKeys)),
    optInMail: optInMailHandler(optInMailFor(infra, ses, { from: LOCAL_EMAIL_FROM }, tokenKeys)),
    emailFeedback: emailFeedbackHandler(consentRecordsFor(infra)),
    consentErasure: consentErasureHandler(consentRecordsFor(infra)),
    campaigns: campaignsHandler(campaignsAppFor(infra, ses, { from: LOCAL_EMAIL_FROM }, tokenKeys, { ...control, sending: campaignSendingFor(infra) })),
    audienceScanner: audienceScannerHandler(audience, audienceSinksFor(infra, sending.lanes)),
    campaignStarter: campaignStarterHandler(campaignStarterFor(infra, audience.audience)),
    campaignSender: campaignSenderHandler(campaignSenderFor(infra, mail, sending)),
    campaignTrigger: campaignTriggerHandler(
      campaignTriggerFor(infra, { audience: audience.audience, delivery: campaignDeliveryFor(infra, mail, sending), schedules: control.schedules }),
    ),
    campaignFeedback: campaignFeedbackHandler(dynamoFeedbackCounters(client, tableName, clock)),
    scheduledErasure: scheduledErasureHandler(erasureRunFor(infra, control.schedules, { ses, email: { from: LOCAL_EMAIL_FROM } })),
    knowledge: knowledgeHandler({ clock, ids, ...authoringPortsFor(infra), ...helpAppFor(infra) }),
    searchIndexer: searchIndexerHandler(searchIndexerFor(infra, jitteredPause)),
    csat: csatHandler(csatDepsFor(infra, tokenKeys)),
    csatSurveys: csatSurveysHandler(
      surveyMailFor(infra, { ...mail, schedules: control.schedules, delaySeconds: csatDelaySeconds ?? DEFAULT_DELAY_SECONDS, linkBase: sending.linkBase }),
    ),
    sales: salesHandler({ ...infra, schedules: control.schedules }),
    activityReminders: activityRemindersHandler(activityRemindersFor(infra, ses, { from: LOCAL_EMAIL_FROM })),
    leadErasure: leadErasureHandler(leadAppFor(infra).leads, unscheduledActivitiesFor(infra)),
    purchases: purchasesHandler(purchaseConsumerFor(infra), salesMergeConsumerFor(infra)),
    wonOpportunities: wonOpportunitiesHandler(wonOpportunityConsumerFor(infra)),
    analyticsFeed: analyticsFeedHandler(analyticsFeedConsumersFor(infra, analytics)),
    analytics: analyticsHandler({ clv: clvUseCasesFor(infra, analytics), ...cubePortsFor(duckDbCubeEngine(warehouseDir)), ...clusterPortsFor(infra), ...forecastPortsFor(infra) }),
    analyticsJobs: analyticsJobsHandler(clvUseCasesFor(infra, analytics)),
    docs: docsHandler(usage),
    warehouseExport: warehouseExportHandler(warehouseExportFor(infra, fileObjectStore(warehouseDir))),
    outboxPublisher: publishOutboxHandler({ publisher: eventBridgePublisher(eventBridge, EVENT_BUS_NAME), store: dynamoOutboxStore(infra) }),
    outboxSweeper: sweepOutboxHandler({ publisher: eventBridgePublisher(eventBridge, EVENT_BUS_NAME), store: dynamoOutboxStore(infra), clock }),
  } satisfies Record<FunctionName, unknown>);
}

/** Every function but the APIs through the wrapper its Lambda entry uses (correlationId, one line per event, invocationEnded). */
function observeConsumers<T extends Record<FunctionName, unknown>>(functions: T): T {
  const apis = new Set<string>(ROUTE_TABLE.map((r) => r.function));
  return Object.fromEntries(
    Object.entries(functions).map(([name, fn]) => [name, apis.has(name) ? fn : observedConsumer(name as FunctionName, fn as (event: unknown) => Promise<unknown>)]),
  ) as T;
}

export type LocalFunctions = ReturnType<typeof localFunctions>;
