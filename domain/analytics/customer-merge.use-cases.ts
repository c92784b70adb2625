import type { AnalyticsPurchase } from './analytics-purchase.ts';

// CustomersMerged, as the analytics context sees it: the merged-away customer's purchases are the
// target's now (one person bought them), its scores go (a merged-away id answers 404 elsewhere
// already), and the target's scores are refreshed from its purchases with the moved ones.
// Idempotent: a redelivery finds nothing left to move and ends with the same state.

/**
 * moved: the target took the purchase; combined: the target had the same purchase already (both
 * were contacts of one won opportunity) and now holds both shares; gone: the source's purchase
 * went meanwhile (a concurrent delivery moved it); target-gone: the target is being erased or
 * merged on (its erasure follows MERGED_FROM into the source's partition and removes what stayed).
 */
export type PurchaseMove = 'moved' | 'combined' | 'gone' | 'target-gone';

export interface AnalyticsMergeStore {
  /** The customer's analytics purchases, all of them (consistent). */
  purchasesOf(customerId: string): Promise<readonly AnalyticsPurchase[]>;
  /** One transaction: the purchase into the target's partition (erasure guard on the target) and out of the source's. */
  move(purchase: AnalyticsPurchase, targetId: string): Promise<PurchaseMove>;
  deleteScores(customerId: string): Promise<void>;
}

export type AnalyticsMergeOutcome = { readonly outcome: 'target-gone' } | { readonly outcome: 'merged'; readonly purchases: Record<string, number> };

export function analyticsMergeConsumer(deps: { store: AnalyticsMergeStore; afterMerge?: (targetId: string) => Promise<unknown> }) {
  const { store, afterMerge } = deps;
  return {
    /** flow: 1. each of the source's purchases moves to the target 2. the source's scores go 3. the target's are refreshed. */
    async customersMerged({ targetId, sourceId }: { targetId: string; sourceId: string }): Promise<AnalyticsMergeOutcome> {
      const purchases: Record<string, number> = {};
      for (const purchase of await store.purchasesOf(sourceId)) {
        const moved = await store.move(purchase, targetId);
        if (moved === 'target-gone') return { outcome: 'target-gone' };
        purchases[moved] = (purchases[moved] ?? 0) + 1;
      }
      await store.deleteScores(sourceId);
      if (afterMerge) await afterMerge(targetId);
      return { outcome: 'merged', purchases };
    },
  };
}

export type AnalyticsMergeConsumer = ReturnType<typeof analyticsMergeConsumer>;
