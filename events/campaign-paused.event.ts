import * as z from '#domain/shared/zod.ts';
import { defineEvent } from './define-event.ts';

/** A campaign stopped sending (or listening) until it is resumed or cancelled. Ids only. */
export const CampaignPaused = defineEvent({
  source: 'crm.campaigns',
  detailType: 'CampaignPaused',
  version: 1,
  data: z.onFirstUse(() => z.strictObject({ campaignId: z.string(), from: z.string() })),
});
