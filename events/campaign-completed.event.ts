import * as z from '#domain/shared/zod.ts';
import { defineEvent } from './define-event.ts';

/** Every targeted recipient of a campaign has an outcome. Counts only. */
export const CampaignCompleted = defineEvent({
  source: 'crm.campaigns',
  detailType: 'CampaignCompleted',
  version: 1,
  data: z.onFirstUse(() => z.strictObject({ campaignId: z.string(), targeted: z.int(), sent: z.int() })),
});
