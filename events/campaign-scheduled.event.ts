import * as z from '#domain/shared/zod.ts';
import { defineEvent } from './define-event.ts';

/** A campaign will start at `at` (EventBridge Scheduler holds the one-off schedule). Ids only. */
export const CampaignScheduled = defineEvent({
  source: 'crm.campaigns',
  detailType: 'CampaignScheduled',
  version: 1,
  data: z.onFirstUse(() => z.strictObject({ campaignId: z.string(), at: z.string() })),
});
