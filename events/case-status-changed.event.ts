import * as z from '#domain/shared/zod.ts';
import { defineEvent } from './define-event.ts';

/** Carries the case's customer, so a triggered campaign can react to that customer's case being solved. */
export const CaseStatusChanged = defineEvent({
  source: 'crm.cases',
  detailType: 'CaseStatusChanged',
  version: 1,
  data: z.strictObject({ caseId: z.string(), customerId: z.string(), from: z.string(), to: z.string() }),
});
