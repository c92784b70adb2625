import * as z from '#domain/shared/zod.ts';
import { defineEvent } from './define-event.ts';

export const CaseEscalated = defineEvent({
  source: 'crm.cases',
  detailType: 'CaseEscalated',
  version: 1,
  data: z.onFirstUse(() => z.strictObject({ caseId: z.string(), milestone: z.enum(['firstResponse', 'resolution']), dueAt: z.iso.datetime(), level: z.int(), fromQueue: z.string(), queue: z.string(), priority: z.string(), minutesLate: z.int() })),
});
