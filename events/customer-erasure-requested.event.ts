import * as z from '#domain/shared/zod.ts';
import { defineEvent } from './define-event.ts';

/**
 * A person asked for their own erasure (DELETE /me): it runs at runAt unless cancelled first.
 * `requestedAt` names the request: a schedule left over from an earlier, cancelled one never
 * erases under a later one's name.
 */
export const CustomerErasureRequested = defineEvent({
  source: 'crm.customers',
  detailType: 'CustomerErasureRequested',
  version: 1,
  data: z.onFirstUse(() => z.strictObject({ customerId: z.string(), requestedAt: z.iso.datetime(), runAt: z.iso.datetime() })),
});
