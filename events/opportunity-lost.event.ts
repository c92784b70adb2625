import * as z from '#domain/shared/zod.ts';
import { defineEvent } from './define-event.ts';

/** An opportunity was lost (final) (ids only: consumers read the opportunity if they need more). */
export const OpportunityLost = defineEvent({
  source: 'crm.sales',
  detailType: 'OpportunityLost',
  version: 1,
  data: z.onFirstUse(() => z.strictObject({ opportunityId: z.string(), accountId: z.string() })),
});
