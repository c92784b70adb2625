import * as z from '#domain/shared/zod.ts';
import { defineEvent } from './define-event.ts';

/** A person cancelled their pending erasure request within the grace period. */
export const CustomerErasureCancelled = defineEvent({
  source: 'crm.customers',
  detailType: 'CustomerErasureCancelled',
  version: 1,
  data: z.onFirstUse(() => z.strictObject({ customerId: z.string() })),
});
