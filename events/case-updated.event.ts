import * as z from '#domain/shared/zod.ts';
import { defineEvent } from './define-event.ts';

export const CaseUpdated = defineEvent({
  source: 'crm.cases',
  detailType: 'CaseUpdated',
  version: 1,
  data: z.onFirstUse(() => z.strictObject({ caseId: z.string(), changed: z.array(z.string()).check(z.minLength(1)) })),
});
