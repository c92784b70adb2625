import * as z from '#domain/shared/zod.ts';
import { defineEvent } from './define-event.ts';

/** Carries ids and names only: never an email address or other personal data. */
export const EmailBounced = defineEvent({
  source: 'crm.email',
  detailType: 'EmailBounced',
  version: 1,
  data: z.onFirstUse(() => z.strictObject({ bounceType: z.string(), customerId: z.nullable(z.string()), suppressed: z.boolean() })),
});
