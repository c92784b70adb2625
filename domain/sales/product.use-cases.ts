import * as z from '#domain/shared/zod.ts';
import { ConcurrentUpdateError, CustomerNotFoundError, NotFoundError, StaleVersionError } from '#domain/shared/errors.ts';
import type { Clock, CommandContext } from '#domain/shared/ports.ts';
import { popular, purchaseDelta, recommend } from './co-occurrence.ts';
import type { AccountRepository } from './account.ports.ts';
import { AccountNotFoundError } from './account.ts';
import { MAX_TIMELINE_CONTACTS } from './account.use-cases.ts';
import type { CoOccurrenceStore, CommitOutcome, ProductFilter, ProductRepository, PurchaseSource, SegmentReads } from './product.ports.ts';
import { needsOf, popularInSegments, segmentsOf } from './segment-popularity.ts';
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
  readonly segments: SegmentReads;
  /** An account's contacts, for the account's recommendations. */
  readonly accounts: Pick<AccountRepository, 'get' | 'contactIds'>;
  readonly clock: Clock;
}

/** An account's recommendations read what its first this-many contacts own (as its timeline does). */
export const MAX_RECOMMENDATION_CONTACTS = MAX_TIMELINE_CONTACTS;

export function productUseCases({ products, coOccurrence, segments, accounts, clock }: ProductDeps) {
  async function recommendForOwned(ownedSkus: ReadonlySet<string>, limit: number): Promise<Recommendation[]> {
    const [counts, partnersOf, catalogue] = await Promise.all([coOccurrence.counts(), coOccurrence.partners([...ownedSkus]), products.catalogue()]);
    return recommend({ owned: ownedSkus, counts, partnersOf, catalogue, limit });
  }

  /** The segments any of these customers is in now (the segment definitions read once). */
  async function segmentsNow(customerIds: readonly string[]): Promise<string[]> {
    const all = customerIds.length ? await segments.segments() : [];
    if (all.length === 0) return [];
    const now = clock.now();
    return segmentsOf(all, await segments.facts(customerIds, needsOf(all), now), now);
  }

  /**
   * Nothing owned yet: the best sellers of the segments the people are in now, then the most
   * popular products overall (reasons popular_in_segment and popular).
   */
  async function popularFor(customerIds: readonly string[], limit: number): Promise<Recommendation[]> {
    const [segmentIds, counts, catalogue] = await Promise.all([segmentsNow(customerIds), coOccurrence.counts(), products.catalogue()]);
    const inSegments = popularInSegments({ sales: await segments.sales(segmentIds), catalogue, exclude: new Set(), limit });
    return [...inSegments, ...popular({ counts, catalogue, exclude: new Set(inSegments.map((r) => r.sku)), limit: limit - inSegments.length })];
  }

  async function recommendForGroup(customerIds: readonly string[], limit: number): Promise<Recommendation[]> {
    const owned = await coOccurrence.owned(customerIds);
    return owned.skus.size ? recommendForOwned(owned.skus, limit) : popularFor(customerIds, limit);
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
      return owned.skus.size ? recommendForOwned(owned.skus, limit) : popularFor([customerId], limit);
    },

    /** What a group of customers owns, together (nothing: their segments' best sellers, then overall). */
    recommendationsForGroup: recommendForGroup,

    /**
     * GET /accounts/{id}/recommendations: the account as one buyer, over what any of its first
     * MAX_RECOMMENDATION_CONTACTS contacts owns; no contacts (or nothing owned): the popular fallback.
     */
    async recommendationsForAccount(accountId: string, limit: number): Promise<Recommendation[]> {
      const [account, contactIds] = await Promise.all([accounts.get(accountId), accounts.contactIds(accountId, MAX_RECOMMENDATION_CONTACTS)]);
      if (!account) throw new AccountNotFoundError(accountId);
      return recommendForGroup(contactIds.slice(0, MAX_RECOMMENDATION_CONTACTS), limit);
    },

    /**
     * Counts a purchase of `skus` by a customer, once per source (interactions now, won
     * opportunities later). Races with the customer's other purchases re-read what they own.
     */
    async recordPurchase(customerId: string, skus: readonly string[], source: PurchaseSource, context: CommandContext): Promise<Exclude<CommitOutcome, 'owned-changed'>> {
      // The segments the buyer is in now count this purchase (a redelivery keeps what the first claim recorded).
      const segmentIds = await segmentsNow([customerId]);
      for (let attempt = 1; attempt <= OWNED_ATTEMPTS; attempt++) {
        const owned = await coOccurrence.owned([customerId]);
        const outcome = await coOccurrence.commitPurchase({ customerId, source, skus, owned, delta: purchaseDelta(owned.skus, skus), segmentIds }, context);
        if (outcome !== 'owned-changed') return outcome;
      }
      throw new ConcurrentUpdateError();
    },
  };
}

export type ProductUseCases = ReturnType<typeof productUseCases>;

/** The part of an interaction's data a purchase needs; anything else is not a purchase we understand. */
export const PurchaseData = z.onFirstUse(() => z.object({
  orderId: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  items: z.array(z.object({ sku: Sku, quantity: z.optional(z.number().check(z.gt(0))), unitPrice: z.optional(z.number()) })).check(z.minLength(1), z.maxLength(500)),
}));
export type PurchaseData = z.infer<typeof PurchaseData>;
