import * as z from '#domain/shared/zod.ts';
import { defineEvent } from './define-event.ts';

export const CaseCommented = defineEvent({
  source: 'crm.cases',
  detailType: 'CaseCommented',
  version: 1,
  data: z.onFirstUse(() => z.strictObject({ caseId: z.string(), commentId: z.string(), visibility: z.enum(['public', 'internal']), firstResponse: z.boolean() })),
});
