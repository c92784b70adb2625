import * as z from '#domain/shared/zod.ts';
import { defineEvent } from './define-event.ts';

/** Carries the case's customer, so a triggered campaign can react to that customer's case being solved. */
export const CaseStatusChanged = defineEvent({
  source: 'crm.cases',
  detailType: 'CaseStatusChanged',
  version: 1,
  data: z.onFirstUse(() => z.strictObject({ caseId: z.string(), customerId: z.string(), from: z.string(), to: z.string() })),
});

/**
 * The satisfaction survey's rule: a case solved (arms the survey) or reopened from solved (cancels
 * it). solved -> closed, and every other move, never reaches the survey function.
 */
export const SURVEY_STATUS_PATTERN = {
  ...CaseStatusChanged.pattern,
  detail: { data: { $or: [{ to: ['solved'] }, { from: ['solved'], to: ['open'] }] } },
};
