import * as z from '#domain/shared/zod.ts';
import { defineEvent } from './define-event.ts';

export const CaseSlaWarning = defineEvent({
  source: 'crm.cases',
  detailType: 'CaseSlaWarning',
  version: 1,
  data: z.onFirstUse(() => z.strictObject({ caseId: z.string(), milestone: z.enum(['firstResponse', 'resolution']), dueAt: z.iso.datetime(), assigneeId: z.nullable(z.string()) })),
});
