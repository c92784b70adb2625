import * as z from '#domain/shared/zod.ts';
import { defineEvent } from './define-event.ts';

/** An identity (its type only: the value is personal data) now belongs to the customer. */
export const CustomerIdentityLinked = defineEvent({
  source: 'crm.customers',
  detailType: 'CustomerIdentityLinked',
  version: 1,
  data: z.onFirstUse(() => z.strictObject({ customerId: z.string(), identityType: z.enum(['email', 'phone', 'externalId', 'anonymousId']) })),
});
