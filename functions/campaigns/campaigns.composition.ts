import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock, IdGenerator } from '#domain/shared/ports.ts';
import type { SesConfig } from '../shared/ses-mailer.ts';
import type { CampaignsApp } from './campaign.http.ts';
import { segmentUseCases } from '#domain/campaigns/segment.use-cases.ts';
import type { AudienceSink, ScanRun } from '#domain/campaigns/campaign.ports.ts';
import { audienceFor } from './audience.dynamodb.ts';
import { dynamoSegmentRepository } from './segment.dynamodb-repository.ts';
import { snapshotSink } from './snapshot-sink.ts';

export interface CampaignsInfra {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

/** The campaigns API: segments and campaigns on the table, mail through the consent gate. */
export function campaignsAppFor(_infra: CampaignsInfra, _ses: SESv2Client, _email: SesConfig, _tokenSecret: string): CampaignsApp {
  return { segments: segmentUseCasesFor(_infra), campaigns: undefined };
}

/** Segments: CRUD on the table, previews and snapshots through the audience scans. */
export function segmentUseCasesFor(infra: CampaignsInfra) {
  const audience = audienceFor(infra);
  return segmentUseCases({ segments: dynamoSegmentRepository(infra), scans: audience.scans, audience: audience.audience, clock: infra.clock, ids: infra.ids });
}

/** Segment membership for one customer, and durable scans (the `Audience` port); `step` is the scanner's. */
export { audienceFor };

/** Where a durable scan's members go, by the run's purpose (the audienceScanner's sinks). */
export function audienceSinksFor(infra: CampaignsInfra): Record<ScanRun['purpose'], AudienceSink> {
  return {
    snapshot: snapshotSink(infra),
    // Placeholder until the delivery part's campaign sink is wired here (send batches in lanes).
    campaign: {
      accept: async () => {
        throw new Error('the campaign sink is not wired yet');
      },
    },
  };
}
