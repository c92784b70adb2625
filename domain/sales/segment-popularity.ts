import { type CustomerFacts, matches, type RuleNeeds, ruleNeeds } from '../campaigns/segment-rule.ts';
import type { Rule } from '../campaigns/segment.schema.ts';
import type { CatalogueEntry } from './co-occurrence.ts';
import type { Recommendation } from './product.schema.ts';

// Best sellers per segment (issue 12), pure: "for a customer with no purchases, the most popular
// products in their segment or overall". The purchases consumer counts, per segment the buyer is
// in at the time of the purchase, one purchase per sku bought (a customer buying a sku twice
// counts twice: best-selling, not best-owned). Membership is decided by the campaigns context's
// own rule evaluator (segment-rule.ts), never a second one.

/** A segment as the recommender needs it: its id and rule. */
export interface SegmentRuleRef {
  readonly id: string;
  readonly rule: Rule;
}

/** Per segment: sku -> purchases of it by members (absent: 0). */
export type SegmentSales = ReadonlyMap<string, ReadonlyMap<string, number>>;

/** What evaluating all these rules needs beside the profile: the union of each rule's needs. */
export function needsOf(segments: readonly SegmentRuleRef[]): RuleNeeds {
  const needs = segments.map((s) => ruleNeeds(s.rule));
  return { consentTopics: [...new Set(needs.flatMap((n) => n.consentTopics))].sort(), cases: needs.some((n) => n.cases), scores: needs.some((n) => n.scores) };
}

/** Ids of the segments any of the people described is in at `now`, in the order given. */
export function segmentsOf(segments: readonly SegmentRuleRef[], people: readonly CustomerFacts[], now: Date): string[] {
  return segments.filter((s) => people.some((facts) => matches(s.rule, facts, now))).map((s) => s.id);
}

/**
 * The best sellers of the given segments among active products not excluded. Segments differ in
 * size, so a product scores its share of the segment's purchases (not the raw count); a product
 * sold in several of them takes its best share and names that segment. Ties: more purchases, then
 * sku. Products no member bought are left out: the caller fills with overall popularity.
 */
export function popularInSegments(input: { sales: SegmentSales; catalogue: ReadonlyMap<string, CatalogueEntry>; exclude: ReadonlySet<string>; limit: number }): Recommendation[] {
  const { sales, catalogue, exclude, limit } = input;
  const best = new Map<string, { share: number; count: number; segmentId: string }>();
  for (const [segmentId, counts] of [...sales].sort(([a], [b]) => a.localeCompare(b))) {
    const total = [...counts.values()].reduce((sum, n) => sum + n, 0);
    if (total <= 0) continue;
    for (const [sku, count] of counts) {
      if (count <= 0 || exclude.has(sku) || catalogue.get(sku)?.active !== true) continue;
      const share = count / total;
      const current = best.get(sku);
      if (!current || share > current.share || (share === current.share && count > current.count)) best.set(sku, { share, count, segmentId });
    }
  }
  return [...best]
    .sort(([a, x], [b, y]) => y.share - x.share || y.count - x.count || a.localeCompare(b))
    .slice(0, Math.max(0, limit))
    .map(([sku, { share, segmentId }]) => ({ sku, name: catalogue.get(sku)!.name, score: share, reason: { kind: 'popular_in_segment', segmentId }, support: share, confidence: share, lift: 1 }));
}
