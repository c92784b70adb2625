import * as z from '#domain/shared/zod.ts';
import { defineEvent } from './define-event.ts';

/** A person asked for their own erasure (DELETE /me): it runs at runAt unless cancelled first. */
export const CustomerErasureRequested = defineEvent({
  source: 'crm.customers',
  detailType: 'CustomerErasureRequested',
  version: 1,
  data: z.strictObject({ customerId: z.string(), runAt: z.iso.datetime() }),
});
