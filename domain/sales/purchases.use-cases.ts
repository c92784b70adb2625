import type { CommandContext } from '#domain/shared/ports.ts';
import type { PurchaseInteractions } from './product.ports.ts';
import { PurchaseData, type ProductUseCases } from './product.use-cases.ts';

export type PurchaseOutcome = 'recorded' | 'duplicate' | 'customer-gone' | 'interaction-gone' | 'malformed' | 'not-a-product-purchase';

/**
 * Data with no order lines at all (`{amount}`, how a purchase known only by its value loads, e.g.
 * every CDNOW purchase) is a purchase, just not one of products: nothing for co-occurrence, and
 * nothing wrong with it (analytics takes its value). Order lines that do not parse are malformed.
 */
const hasOrderLines = (data: unknown) => typeof data === 'object' && data !== null && 'items' in data;

/**
 * The purchases consumer: an interaction of type `purchase` counts once for co-occurrence when its
 * data is a purchase we understand (`{orderId, items: [{sku, ...}]}`); the customers context
 * accepts any data, so anything else is left alone (the handler logs it), never retried.
 */
export function purchaseConsumer(deps: { interactions: PurchaseInteractions; products: Pick<ProductUseCases, 'recordPurchase'> }) {
  return {
    async interactionRecorded(event: { customerId: string; interactionId: string; occurredAt: string }, context: CommandContext): Promise<PurchaseOutcome> {
      const data = await deps.interactions.dataOf(event.customerId, event.occurredAt, event.interactionId);
      if (data === undefined) return 'interaction-gone';
      const purchase = PurchaseData.safeParse(data);
      if (!purchase.success) return hasOrderLines(data) ? 'malformed' : 'not-a-product-purchase';
      const skus = purchase.data.items.map((i) => i.sku);
      const source = { kind: 'interaction', interactionId: event.interactionId, orderId: purchase.data.orderId ?? null } as const;
      return deps.products.recordPurchase(event.customerId, skus, source, context);
    },
  };
}

export type PurchaseConsumer = ReturnType<typeof purchaseConsumer>;
