import { type AnalyticsPurchase, dayOf, purchaseValueOf } from './analytics-purchase.ts';

// The analytics purchase feed: each purchase interaction becomes one purchase item (its day, value
// and currency) in the customer's partition, once however often the event comes. The fit reads
// them all; the customer's scores are refreshed from them.

export type PurchaseFeedOutcome = 'recorded' | 'duplicate' | 'customer-gone' | 'interaction-gone' | 'not-a-purchase';

/** Port: a recorded interaction's data (undefined: it is gone, the customer was erased). */
export interface InteractionDataReader {
  dataOf(customerId: string, occurredAt: string, interactionId: string): Promise<unknown>;
}

/** Port: the purchase items analytics keeps. */
export interface PurchaseFeedStore {
  /** Writes the purchase unless it is there (`duplicate`) or its customer may no longer be written (`customer-gone`: erased, being erased, merged away). */
  record(purchase: AnalyticsPurchase): Promise<'recorded' | 'duplicate' | 'customer-gone'>;
}

export interface PurchaseFeedDeps {
  readonly interactions: InteractionDataReader;
  readonly purchases: PurchaseFeedStore;
  /** ANALYTICS_CURRENCY: the currency of purchases that name none. */
  readonly currency: string;
  /** After a purchase is recorded (or seen again: a redelivery after a failed refresh must refresh): the customer's scores. */
  readonly afterPurchase?: (customerId: string) => Promise<unknown>;
}

export function purchaseFeed({ interactions, purchases, currency, afterPurchase }: PurchaseFeedDeps) {
  return {
    async interactionRecorded(event: { customerId: string; interactionId: string; occurredAt: string }): Promise<PurchaseFeedOutcome> {
      const data = await interactions.dataOf(event.customerId, event.occurredAt, event.interactionId);
      if (data === undefined) return 'interaction-gone';
      const value = purchaseValueOf(data, currency);
      if (!value) return 'not-a-purchase';
      const outcome = await purchases.record({ customerId: event.customerId, interactionId: event.interactionId, day: dayOf(event.occurredAt), ...value });
      if (outcome !== 'customer-gone' && afterPurchase) await afterPurchase(event.customerId);
      return outcome;
    },
  };
}

export type PurchaseFeed = ReturnType<typeof purchaseFeed>;
