import type { CommandContext } from '#domain/shared/ports.ts';
import type { CustomerFacts, RuleNeeds } from '../campaigns/segment-rule.ts';
import type { SegmentRuleRef } from './segment-popularity.ts';
import type { CatalogueEntry, CoOccurrenceCounts, PartnerCounts, PurchaseDelta } from './co-occurrence.ts';
import type { Product } from './product.schema.ts';

// Ports of the products part (issue 12); functions/sales has their DynamoDB adapters.

export interface ProductFilter {
  readonly category?: string | undefined;
  readonly active?: boolean | undefined;
}

export interface ProductRepository {
  get(sku: string): Promise<Product | undefined>;
  /** Creates (previousVersion null: must not exist) or replaces the version read; false when another writer came first. */
  save(product: Product, previousVersion: number | null): Promise<boolean>;
  list(filter: ProductFilter, page: { limit: number; cursor?: string | undefined }): Promise<{ items: Product[]; nextCursor: string | null }>;
  /** Every product's name and active flag (the recommender's candidates). */
  catalogue(): Promise<Map<string, CatalogueEntry>>;
}

/** Where a purchase came from: it is counted once per source. */
export type PurchaseSource = { readonly kind: 'interaction'; readonly interactionId: string; readonly orderId: string | null } | { readonly kind: 'opportunity'; readonly opportunityId: string };

export const sourceKey = (source: PurchaseSource) => (source.kind === 'interaction' ? `interaction:${source.interactionId}` : `opportunity:${source.opportunityId}`);

export interface OwnedProducts {
  readonly skus: ReadonlySet<string>;
  /** 0: nothing owned yet (no item). */
  readonly version: number;
}

export type CommitOutcome = 'recorded' | 'duplicate' | 'owned-changed' | 'customer-gone';

export interface PurchaseCommit {
  readonly customerId: string;
  readonly source: PurchaseSource;
  readonly skus: readonly string[];
  readonly owned: OwnedProducts;
  readonly delta: PurchaseDelta;
  /** The segments the buyer is in now: each counts one purchase of each sku bought. */
  readonly segmentIds: readonly string[];
}

export interface CoOccurrenceStore {
  /** Whether the customer exists (a profile not erased). */
  customerExists(customerId: string): Promise<boolean>;
  owned(customerIds: readonly string[]): Promise<OwnedProducts>;
  /**
   * Counts the purchase exactly once per (customer, source): the claim, the new owned set (at
   * `owned.version`), the PurchaseRecorded event and the counters; a claim whose counters were
   * not all written yet is finished (`recorded`) instead of answering `duplicate`.
   */
  commitPurchase(commit: PurchaseCommit, context: CommandContext): Promise<CommitOutcome>;
  counts(): Promise<CoOccurrenceCounts>;
  partners(skus: readonly string[]): Promise<Map<string, PartnerCounts>>;
}

/** The interaction a purchase event points at, as the consumer reads it. */
export interface PurchaseInteractions {
  /** The interaction's `data`; undefined when it is gone (erased, merged away). */
  dataOf(customerId: string, occurredAt: string, interactionId: string): Promise<unknown>;
}

/** Segments as the recommender reads them (the campaigns context's segments, rule evaluation in the domain). */
export interface SegmentReads {
  /** Every segment's id and rule (segments are few: one Query; a caller reads them once per invocation). */
  segments(): Promise<SegmentRuleRef[]>;
  /** What the rules are evaluated against, for those of the customers that can be members (not merged away, not being erased). */
  facts(customerIds: readonly string[], needs: RuleNeeds, now: Date): Promise<CustomerFacts[]>;
  /** Per segment: sku -> purchases of it by members since the segment exists. */
  sales(segmentIds: readonly string[]): Promise<Map<string, Map<string, number>>>;
}
