import { describe, expect, it } from 'vitest';
import { clusterCustomers, meanSilhouette } from '#domain/analytics/clusters.ts';
import { RFM_LABELS, rfmLabel, rfmScores } from '#domain/analytics/rfm.ts';
import { dayNumber, summarisePurchases } from '#domain/analytics/purchase-history.ts';
import { readCdnow } from '../support/cdnow.ts';

describe('RFM', () => {
  it('labels every cell of the 5 x 5 grid, and the corners as RFM write-ups do', () => {
    const seen = new Set<string>();
    for (let r = 1; r <= 5; r++) for (let f = 1; f <= 5; f++) seen.add(rfmLabel(r, f));
    expect([...seen].sort()).toEqual([...RFM_LABELS].sort());
    expect(rfmLabel(5, 5)).toBe('champions');
    expect(rfmLabel(5, 1)).toBe('new');
    expect(rfmLabel(1, 1)).toBe('hibernating');
    expect(rfmLabel(1, 5)).toBe('cannot_lose');
    expect(rfmLabel(2, 3)).toBe('at_risk');
  });

  it('scores quintiles by rank: the most recent and biggest buyers get 5, equal values share a score', () => {
    const population = Array.from({ length: 10 }, (_, i) => ({ customerId: `c${i}`, daysSinceLastPurchase: i * 10, transactions: i < 5 ? 1 : i, totalSpend: i * 100 }));
    const scores = rfmScores(population);
    expect(scores.get('c0')).toMatchObject({ r: 5, m: 1 });
    expect(scores.get('c9')).toMatchObject({ r: 1, f: 5, m: 5, score: '155', label: 'cannot_lose' });
    const ones = [0, 1, 2, 3, 4].map((i) => scores.get(`c${i}`)!.f);
    expect(new Set(ones).size).toBe(1);
    for (const s of scores.values()) for (const v of [s.r, s.f, s.m]) expect(v).toBeGreaterThanOrEqual(1);
  });

  it('spreads the CDNOW customers over all five quintiles of recency and monetary value', () => {
    const asOf = '1998-06-30';
    const population = summarisePurchases(readCdnow(), asOf, 'day').map((c) => ({
      customerId: c.customerId,
      daysSinceLastPurchase: dayNumber(asOf) - dayNumber(c.lastPurchase),
      transactions: c.transactions,
      totalSpend: c.totalSpend,
    }));
    const scores = [...rfmScores(population).values()];
    for (const key of ['r', 'm'] as const) expect(new Set(scores.map((s) => s[key])).size).toBe(5);
    // about a fifth in each recency quintile (ties move a few)
    const top = scores.filter((s) => s.r === 5).length / scores.length;
    expect(top).toBeGreaterThan(0.1);
    expect(top).toBeLessThan(0.3);
  });
});

describe('clusters', () => {
  const blob = (cx: number, cy: number, n: number, prefix: string) =>
    Array.from({ length: n }, (_, i) => ({ customerId: `${prefix}${i}`, features: [cx + Math.sin(i * 7.1) * 0.5, cy + Math.cos(i * 3.3) * 0.5] }));

  it('finds three well-separated groups, picks k = 3 by silhouette, and reports centroids in original units', () => {
    const inputs = [...blob(0, 0, 60, 'a'), ...blob(10, 0, 40, 'b'), ...blob(5, 20, 20, 'c')];
    const result = clusterCustomers(inputs)!;
    expect(result.k).toBe(3);
    expect(result.silhouette).toBeGreaterThan(0.8);
    expect(result.clusters.map((c) => c.size)).toEqual([60, 40, 20]);
    expect(result.clusters[0]!.centroid[0]).toBeCloseTo(0, 0);
    expect(result.clusters[1]!.centroid[0]).toBeCloseTo(10, 0);
    expect(result.clusters[2]!.centroid[1]).toBeCloseTo(20, 0);
    expect(result.assignments.get('a5')).toBe(0);
    expect(result.assignments.get('c5')).toBe(2);
  });

  it('gives the same clusters on a refit of the same data (seeded)', () => {
    const inputs = [...blob(0, 0, 30, 'a'), ...blob(4, 4, 30, 'b'), ...blob(8, 0, 30, 'c'), ...blob(4, -4, 30, 'd')];
    expect([...clusterCustomers(inputs)!.assignments]).toEqual([...clusterCustomers(inputs)!.assignments]);
  });

  it('declines to cluster fewer than three customers, and ignores a feature without spread', () => {
    expect(clusterCustomers([{ customerId: 'x', features: [1] }, { customerId: 'y', features: [2] }])).toBeUndefined();
    const inputs = [...blob(0, 0, 20, 'a'), ...blob(10, 10, 20, 'b')].map((c) => ({ ...c, features: [...c.features, 7] }));
    expect(clusterCustomers(inputs)!.k).toBe(2);
  });

  it('silhouette: 1 for points on their own cluster centres far apart, below 0 for labels that mix the groups', () => {
    expect(meanSilhouette([[0], [0], [10], [10]], [0, 0, 1, 1])).toBeCloseTo(1, 9);
    expect(meanSilhouette([[0], [1], [0], [1]], [0, 0, 1, 1])).toBeCloseTo(-0.5, 9);
  });
});
