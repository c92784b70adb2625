import * as z from '#domain/shared/zod.ts';
import { defineEvent } from './define-event.ts';

export const CaseAssigned = defineEvent({
  source: 'crm.cases',
  detailType: 'CaseAssigned',
  version: 1,
  data: z.onFirstUse(() => z.strictObject({ caseId: z.string(), assigneeId: z.nullable(z.string()), queue: z.string() })),
});
