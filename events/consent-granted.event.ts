import * as z from '#domain/shared/zod.ts';
import { defineEvent } from './define-event.ts';

/** Carries ids and names only: never an email address or other personal data. */
export const ConsentGranted = defineEvent({
  source: 'crm.consent',
  detailType: 'ConsentGranted',
  version: 1,
  data: z.onFirstUse(() => z.strictObject({ customerId: z.string(), topic: z.string(), source: z.string(), legalBasis: z.string() })),
});
