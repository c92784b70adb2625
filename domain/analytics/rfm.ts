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
