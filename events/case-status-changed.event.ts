import * as z from '#domain/shared/zod.ts';
import { defineEvent } from './define-event.ts';

export const CaseStatusChanged = defineEvent({
  source: 'crm.cases',
  detailType: 'CaseStatusChanged',
  version: 1,
  data: z.strictObject({ caseId: z.string(), from: z.string(), to: z.string() }),
});
