import type { ActivityUseCases } from '#domain/sales/activity.use-cases.ts';
import type { LeadUseCases } from '#domain/sales/lead.use-cases.ts';
import { CustomerErased, erasedIds } from '#events/customer-erased.event.ts';
import type { EventBridgeEvent } from 'aws-lambda';

type AnyEvent = EventBridgeEvent<string, unknown>;

/**
 * Rule on CustomerErased, the sales context's erasure: the leads linked to the erased customer (and
 * to every profile merged into it) are deleted with their open-lead pointers, so no lead outlives
 * the person's erasure, and the activities linked to them lose the link and their subject (their
 * timeline entries went with the person's partition). Lead and activity writes linked to the
 * customer carry the erasure guard, so none lands after this sweep.
 */
export function leadErasureHandler(leads: Pick<LeadUseCases, 'eraseCustomerLeads'>, activities: Pick<ActivityUseCases, 'scrubCustomer'>) {
  return async (event: AnyEvent) => {
    const { data, metadata } = CustomerErased.detail.parse(event.detail);
    for (const id of erasedIds(data)) {
      await leads.eraseCustomerLeads(id);
      await activities.scrubCustomer(id, { correlationId: metadata.correlationId });
    }
  };
}
