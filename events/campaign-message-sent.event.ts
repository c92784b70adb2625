import * as z from '#domain/shared/zod.ts';
import { defineEvent } from './define-event.ts';

/** SES accepted a campaign's message to one customer. Ids only, never the address. */
export const CampaignMessageSent = defineEvent({
  source: 'crm.campaigns',
  detailType: 'CampaignMessageSent',
  version: 1,
  data: z.onFirstUse(() => z.strictObject({ campaignId: z.string(), customerId: z.string(), messageId: z.string() })),
});
