import * as z from '#domain/shared/zod.ts';
import { defineEvent } from './define-event.ts';

/** Carries ids and names only: never an email address or other personal data. */
export const EmailSuppressed = defineEvent({
  source: 'crm.email',
  detailType: 'EmailSuppressed',
  version: 1,
  data: z.onFirstUse(() => z.strictObject({ reason: z.enum(['bounce', 'complaint', 'manual']), customerId: z.nullable(z.string()) })),
});
