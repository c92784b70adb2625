import * as z from '#domain/shared/zod.ts';
import { defineEvent } from './define-event.ts';

/** A customer answered a case's survey (again: the last answer counts). The comment stays on the case; events carry no personal text. */
export const CaseRated = defineEvent({
  source: 'crm.surveys',
  detailType: 'CaseRated',
  version: 1,
  data: z.onFirstUse(() => z.strictObject({
    caseId: z.string(),
    customerId: z.string(),
    surveyId: z.string(),
    score: z.int(),
    previousScore: z.nullable(z.int()),
    queue: z.string(),
    assigneeId: z.nullable(z.string()),
  })),
});
