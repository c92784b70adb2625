import { describe, expect, it } from 'vitest';
import type { AnalyticsPurchase } from '../../domain/analytics/analytics-purchase.ts';
import { type AnalyticsMergeStore, analyticsMergeConsumer } from '../../domain/analytics/customer-merge.use-cases.ts';

function fakeStore(initial: AnalyticsPurchase[], gone: Set<string> = new Set()) {
  const purchases = new Map(initial.map((p) => [`${p.customerId}|${p.day}|${p.interactionId}`, p]));
  const scores = new Set(['source', 'target']);
  const keyOf = (p: AnalyticsPurchase) => `${p.customerId}|${p.day}|${p.interactionId}`;
  const store: AnalyticsMergeStore = {
    async purchasesOf(customerId) {
      return [...purchases.values()].filter((p) => p.customerId === customerId);
    },
    async move(purchase, targetId) {
      if (gone.has(targetId)) return 'target-gone';
      if (!purchases.has(keyOf(purchase))) return 'gone';
      const moved = { ...purchase, customerId: targetId };
      const held = purchases.get(keyOf(moved));
      purchases.delete(keyOf(purchase));
      purchases.set(keyOf(moved), held ? { ...held, amount: held.amount + purchase.amount } : moved);
      return held ? 'combined' : 'moved';
    },
    async deleteScores(customerId) {
      scores.delete(customerId);
    },
  };
  return { purchases, scores, store };
}

const p = (customerId: string, interactionId: string, amount: number): AnalyticsPurchase => ({ customerId, interactionId, day: '2026-05-10', amount, currency: 'EUR' });

describe('a merge in analytics', () => {
  it("moves the source's purchases to the target, deletes the source's scores, refreshes the target's; again changes nothing", async () => {
    const { purchases, scores, store } = fakeStore([p('source', 'i1', 10), p('source', 'opportunity:o1', 5), p('target', 'opportunity:o1', 5), p('target', 'i2', 7)]);
    const refreshed: string[] = [];
    const merges = analyticsMergeConsumer({ store, afterMerge: async (id) => refreshed.push(id) });
    expect(await merges.customersMerged({ targetId: 'target', sourceId: 'source' })).toEqual({ outcome: 'merged', purchases: { moved: 1, combined: 1 } });
    expect([...purchases.values()].map((x) => [x.customerId, x.interactionId, x.amount]).sort()).toEqual([
      ['target', 'i1', 10],
      ['target', 'i2', 7],
      ['target', 'opportunity:o1', 10],
    ]);
    expect([...scores]).toEqual(['target']);
    expect(refreshed).toEqual(['target']);
    expect(await merges.customersMerged({ targetId: 'target', sourceId: 'source' })).toEqual({ outcome: 'merged', purchases: {} });
    expect(purchases.size).toBe(3);
  });

  it('stops when the target is being erased: nothing moved, no scores touched', async () => {
    const { purchases, scores, store } = fakeStore([p('source', 'i1', 10)], new Set(['target']));
    const refreshed: string[] = [];
    expect(await analyticsMergeConsumer({ store, afterMerge: async (id) => refreshed.push(id) }).customersMerged({ targetId: 'target', sourceId: 'source' })).toEqual({ outcome: 'target-gone' });
    expect([...purchases.values()].map((x) => x.customerId)).toEqual(['source']);
    expect([...scores].sort()).toEqual(['source', 'target']);
    expect(refreshed).toEqual([]);
  });
});
