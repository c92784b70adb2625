import * as z from '#domain/shared/zod.ts';
import { defineEvent } from './define-event.ts';

/** A scheduled campaign began sending to its segment as it is now. Ids only. */
export const CampaignStarted = defineEvent({
  source: 'crm.campaigns',
  detailType: 'CampaignStarted',
  version: 1,
  data: z.onFirstUse(() => z.strictObject({ campaignId: z.string(), segmentId: z.string() })),
});
