// RFM: recency, frequency and monetary quintiles (1 worst to 5 best) over the current population,
// and the readable segment each (R, F) pair falls in, after the usual RFM grid.

export interface RfmInput {
  readonly customerId: string;
  /** Days since the last purchase (fewer is better). */
  readonly daysSinceLastPurchase: number;
  readonly transactions: number;
  readonly totalSpend: number;
}

export const RFM_LABELS = [
  'champions',
  'loyal',
  'potential_loyalist',
  'new',
  'promising',
  'need_attention',
  'about_to_sleep',
  'at_risk',
  'cannot_lose',
  'hibernating',
] as const;
export type RfmLabel = (typeof RFM_LABELS)[number];

export interface RfmScore {
  readonly r: number;
  readonly f: number;
  readonly m: number;
  /** The three digits, e.g. "545": how RFM scores are usually written and sorted. */
  readonly score: string;
  readonly label: RfmLabel;
}

/** The segment of an (R, F) pair: the 5 x 5 grid most RFM write-ups use. */
export function rfmLabel(r: number, f: number): RfmLabel {
  if (r <= 2) return f <= 2 ? 'hibernating' : f <= 4 ? 'at_risk' : 'cannot_lose';
  if (r === 3) return f <= 2 ? 'about_to_sleep' : f === 3 ? 'need_attention' : 'loyal';
  if (f === 1) return r === 4 ? 'promising' : 'new';
  if (f <= 3) return 'potential_loyalist';
  return r === 4 ? 'loyal' : 'champions';
}

/**
 * Quintile of each value, 1 to 5, by rank: the share of the population strictly worse than it, so
 * equal values always share a score (many customers with one purchase all get the same F).
 */
function quintiles(values: readonly number[], higherIsBetter: boolean): number[] {
  const sorted = [...values].sort((x, y) => x - y);
  const n = values.length;
  const below = (v: number) => {
    // first index with sorted[i] >= v
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const above = (v: number) => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]! <= v) lo = mid + 1;
      else hi = mid;
    }
    return n - lo;
  };
  return values.map((v) => 1 + Math.min(4, Math.floor((5 * (higherIsBetter ? below(v) : above(v))) / n)));
}

export function rfmScores(population: readonly RfmInput[]): Map<string, RfmScore> {
  const r = quintiles(population.map((c) => c.daysSinceLastPurchase), false);
  const f = quintiles(population.map((c) => c.transactions), true);
  const m = quintiles(population.map((c) => c.totalSpend), true);
  return new Map(
    population.map((c, i) => [c.customerId, { r: r[i]!, f: f[i]!, m: m[i]!, score: `${r[i]}${f[i]}${m[i]}`, label: rfmLabel(r[i]!, f[i]!) }]),
  );
}

/**
 * What a population's ranking needs to score one more customer later without the population: per
 * dimension the four values a score has to pass to reach 2, 3, 4 and 5. Recency is scored the
 * other way round (fewer days is better): a value strictly below its boundary passes it.
 */
export interface RfmBoundaries {
  readonly recencyDays: readonly number[];
  readonly transactions: readonly number[];
  readonly totalSpend: readonly number[];
}

/**
 * The boundaries of `quintiles` above: a value v scores 1 + floor(5 k / n) (at most 5), where k
 * counts the population strictly worse than v; k reaches ceil(s n / 5) exactly when v passes the
 * ceil(s n / 5)-th worst value, for s = 1..4. Empty population: no boundaries to pass.
 */
function boundariesOf(values: readonly number[], higherIsBetter: boolean): number[] {
  const n = values.length;
  if (n === 0) return [];
  const sorted = [...values].sort((x, y) => x - y);
  return [1, 2, 3, 4].map((s) => {
    const k = Math.ceil((s * n) / 5);
    return higherIsBetter ? sorted[k - 1]! : sorted[n - k]!;
  });
}

export function rfmBoundaries(population: readonly RfmInput[]): RfmBoundaries {
  return {
    recencyDays: boundariesOf(population.map((c) => c.daysSinceLastPurchase), false),
    transactions: boundariesOf(population.map((c) => c.transactions), true),
    totalSpend: boundariesOf(population.map((c) => c.totalSpend), true),
  };
}

/** The RFM score of one customer from stored boundaries: for a member of the population, exactly what `rfmScores` gave it. */
export function rfmFromBoundaries(boundaries: RfmBoundaries, customer: Omit<RfmInput, 'customerId'>): RfmScore {
  const r = 1 + boundaries.recencyDays.filter((b) => customer.daysSinceLastPurchase < b).length;
  const f = 1 + boundaries.transactions.filter((b) => customer.transactions > b).length;
  const m = 1 + boundaries.totalSpend.filter((b) => customer.totalSpend > b).length;
  return { r, f, m, score: `${r}${f}${m}`, label: rfmLabel(r, f) };
}
