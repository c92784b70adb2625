import * as z from '#domain/shared/zod.ts';
import { defineEvent } from './define-event.ts';

/**
 * A lead became a customer on an account (and, when asked, an opportunity), all in one
 * transaction. Ids only, never the email: consumers read what they need.
 */
export const LeadConverted = defineEvent({
  source: 'crm.sales',
  detailType: 'LeadConverted',
  version: 1,
  data: z.onFirstUse(() => z.strictObject({
    leadId: z.string(),
    customerId: z.string(),
    accountId: z.string(),
    opportunityId: z.nullable(z.string()),
  })),
});
