import * as z from 'zod';
import { defineEvent } from './define-event.ts';

export const CaseAssigned = defineEvent({
  source: 'crm.cases',
  detailType: 'CaseAssigned',
  version: 1,
  data: z.strictObject({ caseId: z.string(), assigneeId: z.string().nullable(), queue: z.string() }),
});
