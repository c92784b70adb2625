import * as z from '#domain/shared/zod.ts';
import { defineEvent } from './define-event.ts';

/** A B2B account was created (ids only: consumers read the account if they need more). */
export const AccountCreated = defineEvent({
  source: 'crm.sales',
  detailType: 'AccountCreated',
  version: 1,
  data: z.onFirstUse(() => z.strictObject({ accountId: z.string(), ownerId: z.string() })),
});
