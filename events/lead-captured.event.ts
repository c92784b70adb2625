import * as z from '#domain/shared/zod.ts';
import { defineEvent } from './define-event.ts';

/** A new lead: from the public web form (`capture`), entered by staff (`staff`) or registered by a partner user (`partner`, a deal registration). Ids and source only, never the email. */
export const LeadCaptured = defineEvent({
  source: 'crm.sales',
  detailType: 'LeadCaptured',
  version: 1,
  data: z.onFirstUse(() => z.strictObject({
    leadId: z.string(),
    via: z.enum(['capture', 'staff', 'partner']),
    source: z.string(),
    customerId: z.nullable(z.string()),
    campaignId: z.nullable(z.string()),
  })),
});
