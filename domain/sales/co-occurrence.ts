import type { Recommendation } from './product.schema.ts';

// Item-to-item co-occurrence over customers (issue 12), pure. The counters:
//   customers     how many customers have any purchase
//   owners(x)     how many customers own x
//   pair(x, y)    how many customers own both x and y (kept for both orders)
// A purchase changes them only through the skus it makes NEW for its customer, so the counters
// depend on the set each customer owns, never on how often or in which order they bought.

/** The counter increments one purchase causes (all +1). */
export interface PurchaseDelta {
  /** Skus the customer did not own before, sorted. */
  readonly newSkus: readonly string[];
  /** The customer's first purchase: customers + 1. */
  readonly firstPurchase: boolean;
  /** For each sku x whose partners change, the partners y with pair(x, y) + 1. */
  readonly partners: ReadonlyMap<string, readonly string[]>;
}

export function purchaseDelta(owned: ReadonlySet<string>, bought: readonly string[]): PurchaseDelta {
  const newSkus = [...new Set(bought)].filter((s) => !owned.has(s)).sort();
  const partners = new Map<string, string[]>();
  const add = (x: string, y: string) => partners.set(x, [...(partners.get(x) ?? []), y]);
  for (const n of newSkus) {
    for (const o of [...owned].sort()) {
      add(n, o);
      add(o, n);
    }
    for (const m of newSkus) if (m !== n) add(n, m);
  }
  return { newSkus, firstPurchase: owned.size === 0 && newSkus.length > 0, partners };
}

/** Counters as the store holds them (absent: 0). */
export interface CoOccurrenceCounts {
  readonly customers: number;
  readonly owners: ReadonlyMap<string, number>;
}

/** Pair counters of one owned sku: partner -> customers owning both. */
export type PartnerCounts = ReadonlyMap<string, number>;

export interface CatalogueEntry {
  readonly name: string;
  readonly active: boolean;
}

/**
 * A rule "owns o -> buys y" needs at least this many customers owning both: one or two shared
 * baskets are noise, and their lift is huge exactly because the products are rare.
 */
export const MIN_PAIR_CUSTOMERS = 2;

const byScore = (a: Recommendation, b: Recommendation) => b.score - a.score || b.confidence - a.confidence || b.support - a.support || a.sku.localeCompare(b.sku);

/**
 * Next-best products for someone owning `owned`: for each candidate y (active, not owned) the best
 * rule o -> y over their owned skus, by lift (ties: confidence, then support, then sku). Fewer than
 * `limit` of those: filled with the most popular active products not owned, reason popular.
 */
export function recommend(input: {
  owned: ReadonlySet<string>;
  counts: CoOccurrenceCounts;
  partnersOf: ReadonlyMap<string, PartnerCounts>;
  catalogue: ReadonlyMap<string, CatalogueEntry>;
  limit: number;
}): Recommendation[] {
  const { owned, counts, partnersOf, catalogue, limit } = input;
  const eligible = (sku: string) => !owned.has(sku) && catalogue.get(sku)?.active === true;
  const best = new Map<string, Recommendation>();
  if (counts.customers > 0) {
    for (const [o, partners] of partnersOf) {
      const ownersOfO = counts.owners.get(o) ?? 0;
      if (!owned.has(o) || ownersOfO === 0) continue;
      for (const [y, pair] of partners) {
        const ownersOfY = counts.owners.get(y) ?? 0;
        if (pair < MIN_PAIR_CUSTOMERS || ownersOfY === 0 || !eligible(y)) continue;
        const confidence = pair / ownersOfO;
        const support = pair / counts.customers;
        // confidence / (owners(y) / customers), in one division so equal lifts compare equal.
        const lift = (pair * counts.customers) / (ownersOfO * ownersOfY);
        const candidate: Recommendation = { sku: y, name: catalogue.get(y)!.name, score: lift, reason: { kind: 'bought_with', sku: o }, support, confidence, lift };
        const current = best.get(y);
        if (!current || byScore(candidate, current) < 0) best.set(y, candidate);
      }
    }
  }
  const ranked = [...best.values()].sort(byScore).slice(0, limit);
  return ranked.length >= limit ? ranked : [...ranked, ...popular({ counts, catalogue, exclude: new Set([...owned, ...best.keys()]), limit: limit - ranked.length })];
}

/**
 * The most owned active products not excluded, by owner count (ties by sku); products nobody owns
 * yet come last, so a new catalogue still answers.
 */
export function popular(input: { counts: CoOccurrenceCounts; catalogue: ReadonlyMap<string, CatalogueEntry>; exclude: ReadonlySet<string>; limit: number }): Recommendation[] {
  const { counts, catalogue, exclude, limit } = input;
  return [...catalogue]
    .filter(([sku, entry]) => entry.active && !exclude.has(sku))
    .map(([sku, entry]): Recommendation => {
      const share = counts.customers > 0 ? (counts.owners.get(sku) ?? 0) / counts.customers : 0;
      return { sku, name: entry.name, score: share, reason: { kind: 'popular' }, support: share, confidence: share, lift: 1 };
    })
    .sort((a, b) => b.score - a.score || a.sku.localeCompare(b.sku))
    .slice(0, Math.max(0, limit));
}
