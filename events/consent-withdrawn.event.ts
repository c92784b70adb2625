import * as z from '#domain/shared/zod.ts';
import { defineEvent } from './define-event.ts';

/**
 * Carries ids and names only: never an email address or other personal data. `campaignId` names
 * the campaign whose mail's unsubscribe link was used (its signed token carries it).
 */
export const ConsentWithdrawn = defineEvent({
  source: 'crm.consent',
  detailType: 'ConsentWithdrawn',
  version: 1,
  data: z.onFirstUse(() => z.strictObject({ customerId: z.string(), topic: z.string(), source: z.string(), campaignId: z.optional(z.string()) })),
});

/** Withdrawals through a campaign mail's unsubscribe link, for the campaign's report. */
export const CAMPAIGN_UNSUBSCRIBE_PATTERN = { ...ConsentWithdrawn.pattern, detail: { data: { campaignId: [{ exists: true }] } } };
