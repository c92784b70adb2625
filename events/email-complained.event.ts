import * as z from '#domain/shared/zod.ts';
import { defineEvent } from './define-event.ts';

/** Carries ids and names only: never an email address or other personal data. */
export const EmailComplained = defineEvent({
  source: 'crm.email',
  detailType: 'EmailComplained',
  version: 1,
  data: z.onFirstUse(() => z.strictObject({ customerId: z.nullable(z.string()), withdrawnTopics: z.array(z.string()) })),
});
