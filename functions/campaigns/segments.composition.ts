import { segmentUseCases } from '#domain/campaigns/segment.use-cases.ts';
import { audienceFor } from './audience.dynamodb.ts';
import type { CampaignsInfra } from './campaigns.composition.ts';
import { dynamoSegmentRepository } from './segment.dynamodb-repository.ts';

// The segments area of the campaigns API, apart so that the campaigns function loads it with the
// first segment request only (campaigns.lambda.ts).

/** Segments: CRUD on the table, previews and snapshots through the audience scans. */
export function segmentUseCasesFor(infra: CampaignsInfra) {
  const audience = audienceFor(infra);
  return segmentUseCases({ segments: dynamoSegmentRepository(infra), scans: audience.scans, audience: audience.audience, clock: infra.clock, ids: infra.ids });
}
