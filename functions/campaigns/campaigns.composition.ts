import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AudienceSink, CampaignSending, ScanRun } from '#domain/campaigns/campaign.ports.ts';
import type { Clock, IdGenerator } from '#domain/shared/ports.ts';
import type { TokenKeySource } from '../shared/hmac-tokens.ts';
import { type SesConfig, sesMailer } from '../shared/ses-mailer.ts';
import { audienceFor } from './audience.dynamodb.ts';
import type { CampaignControl } from './campaign-control.ts';
import type { CampaignsApp } from './campaign.http.ts';
import { campaignUseCasesOver } from './campaign-api.composition.ts';
import { campaignSinkFor } from './delivery.composition.ts';
import { segmentUseCasesFor } from './segments.composition.ts';
import { snapshotSink } from './snapshot-sink.ts';

export interface CampaignsInfra {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

/** What a campaign's life cycle drives besides its item: its rule, its start schedule, its parked batches. */
export type CampaignLifecycle = CampaignControl & { readonly sending: CampaignSending };

/** The campaigns API: segments and campaigns on the table, mail through the consent gate. */
export function campaignsAppFor(infra: CampaignsInfra, ses: SESv2Client, email: SesConfig, tokenKeys: TokenKeySource, control: CampaignLifecycle): CampaignsApp {
  return { segments: segmentUseCasesFor(infra), campaigns: campaignUseCasesOver(infra, sesMailer(ses, email), tokenKeys, control) };
}

export { segmentUseCasesFor };

/** Segment membership for one customer, and durable scans (the `Audience` port); `step` is the scanner's. */
export { audienceFor };

/** Where a durable scan's members go, by the run's purpose: a snapshot's pages, or a campaign's send batches in lanes. */
export function audienceSinksFor(infra: CampaignsInfra, lanes?: number): Record<ScanRun['purpose'], AudienceSink> {
  return { snapshot: snapshotSink(infra), campaign: campaignSinkFor(infra, lanes) };
}
