import * as z from '#domain/shared/zod.ts';
import { defineEvent } from './define-event.ts';

/**
 * A customer was erased (GDPR): every context scrubs what it holds about this id and about
 * `mergedFrom`, the ids of the profiles merged into it (the same person's earlier records).
 * `caseIds` are the cases the person's own timeline named when erasure read it (a strongly
 * consistent read of their partitions), so the cases context scrubs them even when its
 * by-customer index has not caught up with a case opened just before the erasure.
 */
export const CustomerErased = defineEvent({
  source: 'crm.customers',
  detailType: 'CustomerErased',
  version: 1,
  data: z.onFirstUse(() => z.strictObject({ customerId: z.string(), mergedFrom: z.optional(z.array(z.string())), caseIds: z.optional(z.array(z.string())) })),
});

/** Every id the erased person had. */
export const erasedIds = (data: { customerId: string; mergedFrom?: readonly string[] | undefined }) => [data.customerId, ...(data.mergedFrom ?? [])];
