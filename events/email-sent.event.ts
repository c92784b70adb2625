import * as z from '#domain/shared/zod.ts';
import { defineEvent } from './define-event.ts';

/** Carries ids and names only: never an email address or other personal data. */
export const EmailSent = defineEvent({
  source: 'crm.email',
  detailType: 'EmailSent',
  version: 1,
  data: z.onFirstUse(() => z.strictObject({ messageId: z.string(), kind: z.enum(['service', 'marketing']), topic: z.nullable(z.string()), customerId: z.nullable(z.string()) })),
});
