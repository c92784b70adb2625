import type { ErasureRequest } from '#domain/customers/me.schema.ts';
import { TABLE } from '#infra/table.ts';
import { customerPartition } from './customer.keys.ts';

// Keys and item mapper of a person's own erasure request (pure; no I/O).
//   erasure request  pk CUSTOMER#<id>  sk ERASURE_REQUEST  status, requestedAt, runAt, cancelledAt
//                    while pending:    gsi7 (sla-due) ERASURE_REQUESTS#pending / <runAt>#<id>
// It lives in the person's own partition, so the erasure it asks for removes it with everything
// else; the sparse index keys (gone once cancelled or begun) make the staff listing of pending
// requests, soonest run first: a due-time work queue like the SLA checks that share the index.

const DUE = TABLE.indexes.slaDue;

export const ERASURE_REQUEST_SK = 'ERASURE_REQUEST';
export const PENDING_ERASURES = 'ERASURE_REQUESTS#pending';

export const erasureRequestKey = (customerId: string) => ({ pk: customerPartition(customerId), sk: ERASURE_REQUEST_SK });

/** The index the staff listing reads, with the table keys of the items it lists (for cursor checks). */
export const PENDING_LISTING = {
  index: DUE,
  partition: PENDING_ERASURES,
  itemKey: { pk: { startsWith: customerPartition('') }, sk: { is: ERASURE_REQUEST_SK } },
} as const;

export function toErasureRequestItem(request: ErasureRequest): Record<string, unknown> {
  const pending = request.status === 'pending';
  return {
    ...erasureRequestKey(request.customerId),
    type: 'ErasureRequest',
    customerId: request.customerId,
    status: request.status,
    requestedAt: request.requestedAt,
    runAt: request.runAt,
    cancelledAt: request.cancelledAt ?? undefined,
    [DUE.partitionKey]: pending ? PENDING_ERASURES : undefined,
    [DUE.sortKey]: pending ? `${request.runAt}#${request.customerId}` : undefined,
  };
}

export function fromErasureRequestItem(item: Record<string, unknown>): ErasureRequest {
  return {
    customerId: String(item.customerId),
    status: item.status as ErasureRequest['status'],
    requestedAt: String(item.requestedAt),
    runAt: String(item.runAt),
    cancelledAt: typeof item.cancelledAt === 'string' ? item.cancelledAt : null,
  };
}
