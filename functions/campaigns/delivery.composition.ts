import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Audience, AudienceSink, CampaignDelivery, CampaignSending } from '#domain/campaigns/campaign.ports.ts';
import { type DeliveryUseCases, deliveryUseCases } from '#domain/campaigns/delivery.use-cases.ts';
import { emailGate } from '#domain/consent/email-gate.ts';
import type { Clock, IdGenerator } from '#domain/shared/ports.ts';
import { dynamoConsentRepository } from '../consent/consent.dynamodb-repository.ts';
import { type TokenKeySource, tokenSigner } from '../shared/hmac-tokens.ts';
import { type SesConfig, sesMailer } from '../shared/ses-mailer.ts';
import { campaignMailer, intervalPacer } from './campaign-mailer.ts';
import { DEFAULT_SEND_LANES } from './delivery.config.ts';
import { dynamoDeliveryRepository } from './delivery.dynamodb-repository.ts';
import { log as writeLog } from '../shared/log.ts';

// The factories of campaign delivery, one per function that needs a part of it:
//   campaignSinkFor      the audience scanner's sink for purpose 'campaign' (table only)
//   campaignSendingFor   the campaigns API's resume (table only)
//   campaignDeliveryFor  the trigger consumer's one-customer sends (table, SES, tokens)
//   campaignSenderFor    the sender and the starter (table, SES, tokens)

export interface DeliveryInfra {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

export interface SendSettings {
  /** Messages per second for all lanes together (0: unpaced). */
  readonly sendRate: number;
  readonly lanes: number;
  /** The public API's base URL (unsubscribe links). */
  readonly linkBase: () => string;
}

export interface Mail {
  readonly ses: SESv2Client;
  readonly email: SesConfig;
  readonly tokenKeys: TokenKeySource;
}

/** Recipients of a batch worked on at once: their reads overlap, the pacer still spaces the sends. */
const RECIPIENTS_AT_ONCE = 8;

const unusable = (what: string) => () => {
  throw new Error(`${what} is not available in this function`);
};

const log = (message: string, fields: Record<string, unknown>) => writeLog('info', message, fields);

function useCases(infra: DeliveryInfra, settings: SendSettings, mail?: Mail): DeliveryUseCases {
  const consents = dynamoConsentRepository(infra);
  const noMail = { send: unusable('Sending email') };
  return deliveryUseCases({
    repo: dynamoDeliveryRepository(infra),
    gate: emailGate({ consents, sender: noMail, clock: infra.clock, ids: infra.ids }),
    mailer: campaignMailer(mail ? sesMailer(mail.ses, mail.email) : noMail),
    tokens: mail ? tokenSigner(mail.tokenKeys) : { sign: unusable('Signing tokens'), verify: unusable('Verifying tokens') },
    // Each lane at its share of the account's rate: the lanes together stay at the rate.
    pacer: intervalPacer(settings.sendRate / settings.lanes),
    clock: infra.clock,
    ids: infra.ids,
    linkBase: settings.linkBase,
    lanes: settings.lanes,
    concurrency: RECIPIENTS_AT_ONCE,
    log,
  });
}

const tableOnly = (lanes: number): SendSettings => ({ sendRate: 0, lanes, linkBase: unusable('Links') });

/** The scanner's sink for campaign scans: pages of members become send batches in lanes. */
export function campaignSinkFor(infra: DeliveryInfra, lanes = DEFAULT_SEND_LANES): AudienceSink {
  return useCases(infra, tableOnly(lanes)).sink;
}

/** The API's resume: parked batches back in their lanes. */
export function campaignSendingFor(infra: DeliveryInfra): CampaignSending {
  return useCases(infra, tableOnly(DEFAULT_SEND_LANES)).sending;
}

/** Triggered campaigns: one message to one customer, through the same path as a batch. */
export function campaignDeliveryFor(infra: DeliveryInfra, mail: Mail, settings: SendSettings): CampaignDelivery {
  return useCases(infra, settings, mail).delivery;
}

/** The sender of queued batches (and the starter). */
export function campaignSenderFor(infra: DeliveryInfra, mail: Mail, settings: SendSettings): DeliveryUseCases {
  return useCases(infra, settings, mail);
}

/** The starter needs no mail: only the campaign, its report and the audience scan. */
export function campaignStarterFor(infra: DeliveryInfra, audience: Audience) {
  const cases = useCases(infra, tableOnly(DEFAULT_SEND_LANES));
  return { start: (campaignId: string, context: { correlationId: string }) => cases.start(campaignId, audience, context) };
}
