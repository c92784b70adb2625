import * as z from '#domain/shared/zod.ts';
import { defineEvent } from './define-event.ts';

/** An opportunity was won (final) (ids only: consumers read the opportunity if they need more). */
export const OpportunityWon = defineEvent({
  source: 'crm.sales',
  detailType: 'OpportunityWon',
  version: 1,
  data: z.onFirstUse(() => z.strictObject({ opportunityId: z.string(), accountId: z.string() })),
});
