import * as z from '#domain/shared/zod.ts';
import { defineEvent } from './define-event.ts';

export const CaseOpened = defineEvent({
  source: 'crm.cases',
  detailType: 'CaseOpened',
  version: 1,
  data: z.onFirstUse(() => z.strictObject({ caseId: z.string(), number: z.string(), customerId: z.string(), queue: z.string(), priority: z.string(), channel: z.string() })),
});

/** Urgent cases (opened urgent, or raised to urgent) notify the queue's managers at once. */
export const URGENT_CASE_PATTERN = {
  source: ['crm.cases'],
  'detail-type': ['CaseOpened', 'CasePriorityChanged'],
  detail: { data: { priority: ['urgent'] } },
};
