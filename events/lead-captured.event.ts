import * as z from '#domain/shared/zod.ts';
import { defineEvent } from './define-event.ts';

/** A new lead: from the public web form (`capture`) or entered by staff (`staff`). Ids and source only, never the email. */
export const LeadCaptured = defineEvent({
  source: 'crm.sales',
  detailType: 'LeadCaptured',
  version: 1,
  data: z.strictObject({
    leadId: z.string(),
    via: z.enum(['capture', 'staff']),
    source: z.string(),
    customerId: z.nullable(z.string()),
    campaignId: z.nullable(z.string()),
  }),
});
