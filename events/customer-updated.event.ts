import * as z from '#domain/shared/zod.ts';
import { defineEvent } from './define-event.ts';

/** A customer profile changed; `changed` names the fields, not their values. */
export const CustomerUpdated = defineEvent({
  source: 'crm.customers',
  detailType: 'CustomerUpdated',
  version: 1,
  data: z.onFirstUse(() => z.strictObject({ customerId: z.string(), changed: z.array(z.string()).check(z.minLength(1)), version: z.int() })),
});
