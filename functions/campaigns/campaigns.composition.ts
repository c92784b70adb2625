import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CampaignSending, CampaignTriggers, OneOffSchedules } from '#domain/campaigns/campaign.ports.ts';
import { campaignUseCases } from '#domain/campaigns/campaign.use-cases.ts';
import type { Clock, IdGenerator } from '#domain/shared/ports.ts';
import { hmacTokens } from '../shared/hmac-tokens.ts';
import { type SesConfig, sesMailer } from '../shared/ses-mailer.ts';
import type { CampaignsApp } from './campaign.http.ts';
import { dynamoCampaignRepository } from './campaign.dynamodb-repository.ts';

export interface CampaignsInfra {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

/** The control plane a campaign's life cycle drives: its rule, its start schedule, its parked batches. */
export interface CampaignControl {
  readonly triggers: CampaignTriggers;
  readonly schedules: OneOffSchedules;
  readonly sending: CampaignSending;
}

/** The campaigns API: segments and campaigns on the table, mail through the consent gate. */
export function campaignsAppFor(infra: CampaignsInfra, ses: SESv2Client, email: SesConfig, tokenSecret: string, control: CampaignControl): CampaignsApp {
  return {
    segments: undefined,
    campaigns: campaignUseCases({
      campaigns: dynamoCampaignRepository(infra),
      ...control,
      // Test messages go to staff addresses, not customers: SES directly, behind the suppression check.
      mailer: sesMailer(ses, email),
      tokens: hmacTokens(tokenSecret),
      clock: infra.clock,
      ids: infra.ids,
    }),
  };
}
