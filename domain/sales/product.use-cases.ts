import * as z from '#domain/shared/zod.ts';
import { ConcurrentUpdateError, CustomerNotFoundError, NotFoundError, StaleVersionError } from '#domain/shared/errors.ts';
import type { Clock, CommandContext } from '#domain/shared/ports.ts';
import { purchaseDelta, recommend } from './co-occurrence.ts';
import type { CoOccurrenceStore, CommitOutcome, ProductFilter, ProductRepository, PurchaseSource } from './product.ports.ts';
import { type Product, type ProductInput, type Recommendation, Sku } from './product.schema.ts';

export class ProductNotFoundError extends NotFoundError {
  constructor(sku: string) {
    super(`No product with sku ${sku}.`);
  }
}

/** Another purchase of the same customer committed first this many times in a row: give up (the event is retried). */
const OWNED_ATTEMPTS = 5;

export interface ProductDeps {
  readonly products: ProductRepository;
  readonly coOccurrence: CoOccurrenceStore;
  readonly clock: Clock;
}

export function productUseCases({ products, coOccurrence, clock }: ProductDeps) {
  async function recommendForOwned(ownedSkus: ReadonlySet<string>, limit: number): Promise<Recommendation[]> {
    const [counts, partnersOf, catalogue] = await Promise.all([coOccurrence.counts(), coOccurrence.partners([...ownedSkus]), products.catalogue()]);
    return recommend({ owned: ownedSkus, counts, partnersOf, catalogue, limit });
  }

  return {
    /** PUT /products/{sku}: creates or replaces; If-Match (when given) must name the current version. */
    async put(sku: string, input: ProductInput, ifMatch: number | undefined): Promise<{ product: Product; created: boolean }> {
      const current = await products.get(sku);
      if (ifMatch !== undefined && current?.version !== ifMatch) throw new StaleVersionError(ifMatch, current?.version);
      const now = clock.now().toISOString();
      const product: Product = { sku, ...input, createdAt: current?.createdAt ?? now, updatedAt: now, version: (current?.version ?? 0) + 1 };
      if (!(await products.save(product, current?.version ?? null))) {
        if (ifMatch !== undefined) throw new StaleVersionError(ifMatch);
        throw new ConcurrentUpdateError();
      }
      return { product, created: current === undefined };
    },

    async get(sku: string): Promise<Product> {
      const product = await products.get(sku);
      if (!product) throw new ProductNotFoundError(sku);
      return product;
    },

    list: (filter: ProductFilter, page: { limit: number; cursor?: string | undefined }) => products.list(filter, page),

    /** GET /customers/{id}/recommendations. */
    async recommendationsFor(customerId: string, limit: number): Promise<Recommendation[]> {
      const [exists, owned] = await Promise.all([coOccurrence.customerExists(customerId), coOccurrence.owned([customerId])]);
      if (!exists) throw new CustomerNotFoundError(customerId);
      return recommendForOwned(owned.skus, limit);
    },

    /** The seam for GET /accounts/{id}/recommendations: what a group of customers owns, together. */
    async recommendationsForGroup(customerIds: readonly string[], limit: number): Promise<Recommendation[]> {
      return recommendForOwned((await coOccurrence.owned(customerIds)).skus, limit);
    },

    /**
     * Counts a purchase of `skus` by a customer, once per source (interactions now, won
     * opportunities later). Races with the customer's other purchases re-read what they own.
     */
    async recordPurchase(customerId: string, skus: readonly string[], source: PurchaseSource, context: CommandContext): Promise<Exclude<CommitOutcome, 'owned-changed'>> {
      for (let attempt = 1; attempt <= OWNED_ATTEMPTS; attempt++) {
        const owned = await coOccurrence.owned([customerId]);
        const outcome = await coOccurrence.commitPurchase({ customerId, source, skus, owned, delta: purchaseDelta(owned.skus, skus) }, context);
        if (outcome !== 'owned-changed') return outcome;
      }
      throw new ConcurrentUpdateError();
    },
  };
}

export type ProductUseCases = ReturnType<typeof productUseCases>;

/** The part of an interaction's data a purchase needs; anything else is not a purchase we understand. */
export const PurchaseData = z.object({
  orderId: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  items: z.array(z.object({ sku: Sku, quantity: z.optional(z.number().check(z.gt(0))), unitPrice: z.optional(z.number()) })).check(z.minLength(1), z.maxLength(500)),
});
export type PurchaseData = z.infer<typeof PurchaseData>;
