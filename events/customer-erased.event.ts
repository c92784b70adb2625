import * as z from '#domain/shared/zod.ts';
import { defineEvent } from './define-event.ts';

/** A customer was erased (GDPR): every context scrubs what it holds about this id. */
export const CustomerErased = defineEvent({
  source: 'crm.customers',
  detailType: 'CustomerErased',
  version: 1,
  data: z.strictObject({ customerId: z.string() }),
});
