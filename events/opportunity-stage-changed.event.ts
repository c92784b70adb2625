import * as z from '#domain/shared/zod.ts';
import { defineEvent } from './define-event.ts';

/** An opportunity entered a stage (from: null at its creation) (ids only: consumers read the opportunity if they need more). */
export const OpportunityStageChanged = defineEvent({
  source: 'crm.sales',
  detailType: 'OpportunityStageChanged',
  version: 1,
  data: z.onFirstUse(() => z.strictObject({ opportunityId: z.string(), accountId: z.string(), from: z.nullable(z.string()), to: z.string() })),
});
