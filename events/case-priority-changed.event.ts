import * as z from '#domain/shared/zod.ts';
import { defineEvent } from './define-event.ts';

export const CasePriorityChanged = defineEvent({
  source: 'crm.cases',
  detailType: 'CasePriorityChanged',
  version: 1,
  data: z.onFirstUse(() => z.strictObject({ caseId: z.string(), from: z.string(), priority: z.string(), reason: z.enum(['manual', 'escalation']) })),
});
