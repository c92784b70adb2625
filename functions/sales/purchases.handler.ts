import type { EventBridgeEvent } from 'aws-lambda';
import type { PurchaseConsumer } from '#domain/sales/purchases.use-cases.ts';
import { InteractionRecorded } from '#events/interaction-recorded.event.ts';

// Rule purchase-interactions: InteractionRecorded of type purchase. Anything but a thrown error is
// final (a malformed purchase or a customer gone is logged and dropped); a thrown error makes
// EventBridge retry, which resumes the purchase where it stopped (counted once either way).

export function purchasesHandler(consumer: PurchaseConsumer) {
  return async (event: EventBridgeEvent<string, unknown>) => {
    const { metadata, data } = InteractionRecorded.detail.parse(event.detail);
    const outcome = await consumer.interactionRecorded(data, { correlationId: metadata.correlationId });
    const level = outcome === 'recorded' || outcome === 'duplicate' ? 'info' : 'warn';
    console.log(JSON.stringify({ level, message: 'purchase', customerId: data.customerId, interactionId: data.interactionId, outcome }));
    return outcome;
  };
}
