import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clusterCustomers, nearestCluster } from '../../domain/analytics/clusters.ts';
import { clustersView, MIX_BATCH, mixOf, readMix, segmentOne, segmentPopulation } from '../../domain/analytics/customer-segments.ts';
import { summarisePurchases } from '../../domain/analytics/purchase-history.ts';
import { type RfmInput, rfmBoundaries, rfmFromBoundaries, rfmScores } from '../../domain/analytics/rfm.ts';
import { CustomerClusters } from '../../domain/analytics/segmentation.schema.ts';
import { readCdnow } from '../support/cdnow.ts';

// RFM and clusters of a fitted population, and of one customer between fits from what the fit kept.

const meta = { asOf: '1997-09-30', jobId: 'job-1', fittedAt: '1997-10-01T00:00:00.000Z' };

describe('RFM from stored boundaries', () => {
  // Small value ranges so that ties (the hard case of quintiles by rank) are frequent.
  const population = fc.array(
    fc.record({ daysSinceLastPurchase: fc.integer({ min: -5, max: 40 }), transactions: fc.integer({ min: 1, max: 8 }), totalSpend: fc.oneof(fc.integer({ min: 0, max: 30 }), fc.double({ min: 0, max: 500, noNaN: true })) }),
    { minLength: 1, maxLength: 120 },
  );

  it('gives every member of the population exactly what the population ranking gave it', () => {
    fc.assert(
      fc.property(population, (rows) => {
        const inputs: RfmInput[] = rows.map((row, i) => ({ customerId: `c${i}`, ...row }));
        const ranked = rfmScores(inputs);
        const boundaries = rfmBoundaries(inputs);
        for (const input of inputs) expect(rfmFromBoundaries(boundaries, input)).toEqual(ranked.get(input.customerId));
      }),
      { numRuns: 500 },
    );
  });

  it('scores a newcomer as the ranking would place it among the population (without moving anybody)', () => {
    fc.assert(
      fc.property(population, fc.integer({ min: -10, max: 50 }), fc.integer({ min: 1, max: 10 }), (rows, days, transactions) => {
        const inputs: RfmInput[] = rows.map((row, i) => ({ customerId: `c${i}`, ...row }));
        const score = rfmFromBoundaries(rfmBoundaries(inputs), { daysSinceLastPurchase: days, transactions, totalSpend: 0 });
        // R: 1 + floor(5 x (members who bought longer ago) / n), at most 5; likewise F.
        const worseR = inputs.filter((c) => c.daysSinceLastPurchase > days).length;
        const worseF = inputs.filter((c) => c.transactions < transactions).length;
        expect(score.r).toBe(1 + Math.min(4, Math.floor((5 * worseR) / inputs.length)));
        expect(score.f).toBe(1 + Math.min(4, Math.floor((5 * worseF) / inputs.length)));
      }),
      { numRuns: 300 },
    );
  });
});

describe('segments of the fitted population', () => {
  const summaries = summarisePurchases(readCdnow(), '1997-09-30', 'week');
  const channels = new Map(summaries.map((s, i) => [s.customerId, i % 3 === 0 ? { web: 3, email: 1 } : i % 3 === 1 ? { store: 2 } : {}]));
  const population = segmentPopulation(summaries, channels, meta);

  it('scores every CDNOW customer with RFM and a cluster; the clusters cover the population; the boundaries and centroids reproduce each one', () => {
    const { clusters } = population.segmentation;
    expect(clusters.k).toBeGreaterThanOrEqual(2);
    expect(clusters.k).toBeLessThanOrEqual(8);
    expect(clusters.clusters.reduce((sum, c) => sum + c.size, 0)).toBe(2357);
    expect(clusters.means).toHaveLength(10);
    for (const summary of summaries) {
      const segment = population.segmentOf(summary.customerId);
      expect(segment.cluster).not.toBeNull();
      expect(segmentOne(population.segmentation, summary, channels.get(summary.customerId))).toEqual(segment);
    }
    const sizes = new Map<number, number>();
    for (const s of summaries) sizes.set(population.segmentOf(s.customerId).cluster!, (sizes.get(population.segmentOf(s.customerId).cluster!) ?? 0) + 1);
    expect(clusters.clusters.map((c) => sizes.get(c.id))).toEqual(clusters.clusters.map((c) => c.size));
  });

  it('counts recency to the fit asOf in days, also for a refresh later (a purchase after asOf is the most recent there is)', () => {
    const one = summaries.find((s) => population.segmentOf(s.customerId).rfm.r === 1)!;
    expect(one.lastPurchase < '1997-03-01').toBe(true);
    const later = summarisePurchases([{ customerId: one.customerId, date: one.firstPurchase, amount: 10 }, { customerId: one.customerId, date: '1997-10-05', amount: 10 }], '2026-12-01', 'week')[0]!;
    expect(segmentOne(population.segmentation, later, undefined).rfm.r).toBe(5);
  });

  it('shows the clusters with named features and centroids in original units (shares per channel)', () => {
    const view = CustomerClusters.parse(clustersView(population.segmentation));
    expect(view.features.map((f) => f.name)).toEqual(['recencyDays', 'transactions', 'monetary', 'mix.web', 'mix.email', 'mix.phone', 'mix.chat', 'mix.social', 'mix.store', 'mix.mobile']);
    expect(view.features[3]!.mean).toBeCloseTo((summaries.length / 3) * 0.75 / summaries.length, 2);
    for (const c of view.clusters) {
      const shares = Object.values(c.centroid.mix).reduce((a, b) => a + b, 0);
      expect(shares).toBeLessThanOrEqual(1 + 1e-9);
      expect(c.centroid.transactions).toBeGreaterThanOrEqual(1);
    }
    expect(view).toMatchObject({ asOf: '1997-09-30', jobId: 'job-1', k: population.segmentation.clusters.k });
  });

  it('leaves cluster null (k 0) when fewer than 3 customers were fitted, still scoring RFM', () => {
    const two = segmentPopulation(summaries.slice(0, 2), new Map(), meta);
    expect(two.segmentation.clusters).toMatchObject({ k: 0, silhouette: null, clusters: [] });
    expect(two.segmentOf(summaries[0]!.customerId)).toMatchObject({ cluster: null, rfm: { label: expect.any(String) } });
    expect(segmentOne(two.segmentation, summaries[2]!, undefined).cluster).toBeNull();
    expect(clustersView(two.segmentation).features).toHaveLength(10);
  });

  it('reports the clusters it found: customers who all look alike make one cluster, k 1', () => {
    const alike = Array.from({ length: 5 }, (_, i) => ({ ...summaries[0]!, customerId: `same-${i}` }));
    const one = segmentPopulation(alike, new Map(), meta);
    expect(one.segmentation.clusters).toMatchObject({ k: 1, clusters: [{ id: 0, size: 5 }] });
    expect(alike.map((s) => one.segmentOf(s.customerId).cluster)).toEqual([0, 0, 0, 0, 0]);
  });
});

describe('interaction mix and the nearest centroid', () => {
  it('gives each channel its share of the interactions, zeros without any (a profile missing or erased)', () => {
    expect(mixOf({ web: 3, store: 1 })).toEqual([0.75, 0, 0, 0, 0, 0.25, 0]);
    expect(mixOf({})).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(mixOf(undefined)).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });

  it('reads the mix in batches of MIX_BATCH; customers left out by the source have none', async () => {
    const asked: number[] = [];
    const ids = Array.from({ length: MIX_BATCH + 7 }, (_, i) => `c${i}`);
    const mix = await readMix({ channelCounts: async (some) => (asked.push(some.length), new Map(some.filter((id) => id !== 'c3').map((id) => [id, { web: 1 }]))) }, ids);
    expect(asked).toEqual([MIX_BATCH, 7]);
    expect(mix.size).toBe(ids.length - 1);
    expect(mix.has('c3')).toBe(false);
  });

  it('assigns a point to the nearest centroid in standardised units, not in raw units', () => {
    // The second feature spreads 100 times wider: raw distances would be about it alone.
    const fitted = { means: [0, 0, 7], deviations: [1, 100, 0], clusters: [{ id: 0, centroid: [0, 0, 7] }, { id: 1, centroid: [3, 250, 7] }] };
    expect(nearestCluster(fitted, [1, 150, 7])).toBe(0); // raw: 150 from 0, 100 from 1
    expect(nearestCluster(fitted, [2.5, 150, 99])).toBe(1); // a feature without spread counts for nothing
    expect(nearestCluster({ ...fitted, clusters: [] }, [1, 1, 1])).toBeUndefined();
    expect(clusterCustomers([{ customerId: 'a', features: [1] }, { customerId: 'b', features: [2] }])).toBeUndefined();
  });
});
