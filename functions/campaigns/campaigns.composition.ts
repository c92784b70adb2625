import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock, IdGenerator } from '#domain/shared/ports.ts';
import type { SesConfig } from '../shared/ses-mailer.ts';
import type { CampaignsApp } from './campaign.http.ts';

export interface CampaignsInfra {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

/** The campaigns API: segments and campaigns on the table, mail through the consent gate. */
export function campaignsAppFor(_infra: CampaignsInfra, _ses: SESv2Client, _email: SesConfig, _tokenSecret: string): CampaignsApp {
  return { segments: undefined, campaigns: undefined };
}
