import type { EventBridgeEvent } from 'aws-lambda';
import type { PurchaseFeed } from '#domain/analytics/purchase-feed.use-cases.ts';
import { InteractionRecorded } from '#events/interaction-recorded.event.ts';

// Rule analytics-purchases: InteractionRecorded of type purchase. Anything but a thrown error is
// final (data without a value, or a customer gone, is logged and dropped); a thrown error makes
// EventBridge retry, and the purchase item's put is idempotent, so a retry records it once.

export function analyticsFeedHandler(feed: PurchaseFeed) {
  return async (event: EventBridgeEvent<string, unknown>) => {
    const { data } = InteractionRecorded.detail.parse(event.detail);
    const outcome = await feed.interactionRecorded(data);
    const level = outcome === 'recorded' || outcome === 'duplicate' ? 'info' : 'warn';
    console.log(JSON.stringify({ level, message: 'analytics purchase', customerId: data.customerId, interactionId: data.interactionId, outcome }));
    return outcome;
  };
}
