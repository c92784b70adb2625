import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock, IdGenerator } from '#domain/shared/ports.ts';
import { createSesClient } from '#functions/shared/ses-client.ts';
import { jitteredPause } from '#functions/shared/system.ts';
import { EVENT_BUS_NAME } from '#events/define-event.ts';
import { caseErasureHandler, caseMergeHandler, escalationHandler, notificationHandler, slaSweepHandler } from '#functions/cases/case-events.handlers.ts';
import { casesHandler } from '#functions/cases/cases.app.ts';
import { caseNotificationsFor, caseRepository, caseUseCasesFor } from '#functions/cases/cases.composition.ts';
import { campaignsHandler } from '#functions/campaigns/campaigns.app.ts';
import { audienceFor, audienceSinksFor, campaignsAppFor } from '#functions/campaigns/campaigns.composition.ts';
import { audienceScannerHandler } from '#functions/campaigns/audience-scanner.handler.ts';
import { consentHandler } from '#functions/consent/consent.app.ts';
import { consentAppFor, consentRecordsFor, optInMailFor } from '#functions/consent/consent.composition.ts';
import { consentErasureHandler, emailFeedbackHandler, optInMailHandler } from '#functions/consent/consent-events.handlers.ts';
import { dynamoCustomerRepository } from '#functions/customers/customer.dynamodb-repository.ts';
import { customersHandler } from '#functions/customers/customers.app.ts';
import { docsHandler } from '#functions/docs/docs.app.ts';
import { eventBridgePublisher } from '#functions/outbox/eventbridge-publisher.ts';
import { publishOutboxHandler } from '#functions/outbox/publish-outbox.handler.ts';
import type { FunctionName } from '../topology.ts';
import { LOCAL_AWS } from './dynamodb-local.ts';

export interface LocalPorts {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly busEndpoint: string;
  readonly sesEndpoint: string;
  /** Signs opt-in and unsubscribe links (configuration, never code). */
  readonly tokenSecret: string;
}

/** The sender address of local mail (AWS takes it from the stack's SES identity). */
export const LOCAL_EMAIL_FROM = 'crm@localhost.test';

/**
 * Each function of the topology built from the same factories its Lambda composition root uses,
 * with local adapters: DynamoDB Local, the local bus, aws-ses-v2-local, the virtual clock.
 */
export function localFunctions({ client, tableName, clock, ids, busEndpoint, sesEndpoint, tokenSecret }: LocalPorts) {
  const eventBridge = new EventBridgeClient({ endpoint: busEndpoint, ...LOCAL_AWS });
  const ses = createSesClient({ endpoint: sesEndpoint, ...LOCAL_AWS });
  const infra = { client, tableName, clock, ids };
  return {
    customers: customersHandler({ customers: dynamoCustomerRepository(infra), clock, ids, retry: jitteredPause }),
    cases: casesHandler({ cases: caseRepository(infra), clock, ids }),
    slaSweeper: slaSweepHandler(caseUseCasesFor(infra)),
    caseEscalation: escalationHandler(caseUseCasesFor(infra)),
    caseNotifications: notificationHandler(caseNotificationsFor(infra, ses, { from: LOCAL_EMAIL_FROM })),
    caseMerge: caseMergeHandler(caseUseCasesFor(infra)),
    caseErasure: caseErasureHandler(caseRepository(infra)),
    consent: consentHandler(consentAppFor(infra, ses, { from: LOCAL_EMAIL_FROM }, tokenSecret)),
    optInMail: optInMailHandler(optInMailFor(infra, ses, { from: LOCAL_EMAIL_FROM }, tokenSecret)),
    emailFeedback: emailFeedbackHandler(consentRecordsFor(infra)),
    consentErasure: consentErasureHandler(consentRecordsFor(infra)),
    campaigns: campaignsHandler(campaignsAppFor(infra, ses, { from: LOCAL_EMAIL_FROM }, tokenSecret)),
    audienceScanner: audienceScannerHandler(audienceFor(infra), audienceSinksFor(infra)),
    campaignStarter: notBuiltYet('campaignStarter'),
    campaignSender: notBuiltYet('campaignSender'),
    campaignTrigger: notBuiltYet('campaignTrigger'),
    campaignFeedback: notBuiltYet('campaignFeedback'),
    docs: docsHandler(),
    outboxPublisher: publishOutboxHandler(eventBridgePublisher(eventBridge, EVENT_BUS_NAME)),
  } satisfies Record<FunctionName, unknown>;
}

// Stubs of the campaigns skeleton: each owner replaces its own.
function notBuiltYet(name: string) {
  return async (): Promise<never> => {
    throw new Error(`${name} is being built`);
  };
}

export type LocalFunctions = ReturnType<typeof localFunctions>;
