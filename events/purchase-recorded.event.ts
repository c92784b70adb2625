import * as z from '#domain/shared/zod.ts';
import { defineEvent } from './define-event.ts';

/**
 * A purchase was counted for a customer (once per source: an interaction, later a won
 * opportunity). `skus` are all the skus it named; ids only, no prices.
 */
export const PurchaseRecorded = defineEvent({
  source: 'crm.sales',
  detailType: 'PurchaseRecorded',
  version: 1,
  data: z.onFirstUse(() => z.strictObject({ customerId: z.string(), interactionId: z.nullable(z.string()), orderId: z.nullable(z.string()), skus: z.array(z.string()) })),
});
