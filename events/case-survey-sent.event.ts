import * as z from '#domain/shared/zod.ts';
import { defineEvent } from './define-event.ts';

/** A solved case's satisfaction survey went out (through the gate). */
export const CaseSurveySent = defineEvent({
  source: 'crm.surveys',
  detailType: 'CaseSurveySent',
  version: 1,
  data: z.onFirstUse(() => z.strictObject({ caseId: z.string(), customerId: z.string(), surveyId: z.string(), queue: z.string(), assigneeId: z.nullable(z.string()) })),
});
