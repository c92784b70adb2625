import * as z from '#domain/shared/zod.ts';
import { OUTCOMES } from '#domain/campaigns/campaign.schema.ts';
import type { SegmentUseCases } from '#domain/campaigns/segment.use-cases.ts';
import type { CampaignUseCases } from '#domain/campaigns/campaign.use-cases.ts';
import { Cursor, Limit } from '../shared/query.ts';

// Query strings of the campaigns context's routes (the handlers parse them, the topology documents them).

export const PageQuery = z.onFirstUse(() => z.strictObject({ limit: z.optional(Limit), cursor: z.optional(Cursor) }));
export const PreviewQuery = z.onFirstUse(() => z.strictObject({ limit: z.optional(Limit) }));
export const RecipientQuery = z.onFirstUse(() => z.strictObject({ outcome: z.optional(z.enum(OUTCOMES)), limit: z.optional(Limit), cursor: z.optional(Cursor) }));

/** What the campaigns function's route handlers work with (built in campaigns.composition.ts). */
export interface CampaignsApp {
  /** Segments: CRUD, preview, snapshots (segment.use-cases). */
  readonly segments: SegmentUseCases;
  /** Campaigns: CRUD, states, preview, test, report, recipients (campaign.use-cases). */
  readonly campaigns: CampaignUseCases;
}
