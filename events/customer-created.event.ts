import * as z from '#domain/shared/zod.ts';
import { defineEvent } from './define-event.ts';

/** A customer profile was created. Carries field names only, never personal data. */
export const CustomerCreated = defineEvent({
  source: 'crm.customers',
  detailType: 'CustomerCreated',
  version: 1,
  data: z.onFirstUse(() => z.strictObject({ customerId: z.string(), fields: z.array(z.string()) })),
});
