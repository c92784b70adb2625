import { z } from 'zod';
import { defineEvent } from './define-event.ts';

/** A customer profile and its email reservation were deleted. */
export const CustomerDeleted = defineEvent({
  source: 'crm.customers',
  detailType: 'CustomerDeleted',
  version: 1,
  data: z.strictObject({ customerId: z.string() }),
});
