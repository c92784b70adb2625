import type { EventBridgeEvent } from 'aws-lambda';
import type { SalesMergeConsumer } from '#domain/sales/customer-merge.use-cases.ts';
import type { PurchaseConsumer } from '#domain/sales/purchases.use-cases.ts';
import { CustomersMerged } from '#events/customers-merged.event.ts';
import { InteractionRecorded } from '#events/interaction-recorded.event.ts';
import { log } from '../shared/log.ts';

// Rule purchase-interactions: InteractionRecorded of type purchase. Anything but a thrown error is
// final (a malformed purchase or a customer gone is logged and dropped; one without order lines is
// not a product purchase, logged at debug); a thrown error makes
// EventBridge retry, which resumes the purchase where it stopped (counted once either way).
// Rule customers-merged-sales: CustomersMerged moves the merged-away customer's contact links and
// owned products to the target (idempotent; a thrown error is retried the same way).

export function purchasesHandler(consumer: PurchaseConsumer, merges: SalesMergeConsumer) {
  return async (event: EventBridgeEvent<string, unknown>) => {
    if (event['detail-type'] === CustomersMerged.detailType) {
      const { data } = CustomersMerged.detail.parse(event.detail);
      const outcome = await merges.customersMerged(data);
      log(outcome === 'merged' ? 'info' : 'warn', 'customers merged', { targetId: data.targetId, sourceId: data.sourceId, outcome });
      return outcome;
    }
    const { metadata, data } = InteractionRecorded.detail.parse(event.detail);
    const outcome = await consumer.interactionRecorded(data, { correlationId: metadata.correlationId });
    // A purchase without order lines is routine (a value only): debug, not a warning per purchase.
    const level = outcome === 'recorded' || outcome === 'duplicate' ? 'info' : outcome === 'not-a-product-purchase' ? 'debug' : 'warn';
    log(level, 'purchase', { customerId: data.customerId, interactionId: data.interactionId, outcome });
    return outcome;
  };
}
