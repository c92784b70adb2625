import type { LeadUseCases } from '#domain/sales/lead.use-cases.ts';
import { CustomerErased, erasedIds } from '#events/customer-erased.event.ts';
import type { EventBridgeEvent } from 'aws-lambda';

type AnyEvent = EventBridgeEvent<string, unknown>;

/**
 * Rule on CustomerErased: the leads linked to the erased customer (and to every profile merged into
 * it) are deleted with their open-lead pointers, so no lead outlives the person's erasure. A lead
 * write linked to the customer carries the erasure guard, so none lands after this sweep.
 */
export function leadErasureHandler(leads: Pick<LeadUseCases, 'eraseCustomerLeads'>) {
  return async (event: AnyEvent) => {
    const { data } = CustomerErased.detail.parse(event.detail);
    for (const id of erasedIds(data)) await leads.eraseCustomerLeads(id);
  };
}
