import { ConcurrentUpdateError } from '../shared/errors.ts';
import type { Contact } from './account.schema.ts';
import type { OwnedProducts } from './product.ports.ts';

// CustomersMerged, as the sales context sees it (issue 12): the merged-away customer's account
// memberships and owned products follow it to the customer it became. The customers context does
// not know these items; this consumer moves them. Idempotent: a redelivery finds nothing left to
// move and ends with the same state.

/** moved: the target took the link; target-kept: it had its own (its role stays) or the account is gone; target-gone: being erased or merged on. */
export type LinkMove = 'moved' | 'target-kept' | 'target-gone';
export type OwnedMerge = 'merged' | 'changed' | 'target-gone';

export interface SalesMergeStore {
  /** The customer's contact links, all of them (consistent). */
  linksOf(customerId: string): Promise<Contact[]>;
  /**
   * One transaction: the target (still writable) takes the link with the source's role and
   * addedAt unless it is a contact of that account already, and the source's link goes.
   */
  moveLink(link: Contact, targetId: string): Promise<LinkMove>;
  owned(customerId: string): Promise<OwnedProducts>;
  /** One transaction: the target owns `skus` (its set still at target.version), the source's set (still at source.version) goes. */
  mergeOwned(input: { sourceId: string; source: OwnedProducts; targetId: string; target: OwnedProducts; skus: readonly string[] }): Promise<OwnedMerge>;
}

export type SalesMergeOutcome = 'merged' | 'target-gone';

/** A purchase of either customer committing between the read and the write this many times in a row: give up (the event is retried). */
const OWNED_ATTEMPTS = 5;

export function salesMergeConsumer(store: SalesMergeStore) {
  return {
    /**
     * flow: 1. each of the source's links moves to the target (or goes, when the target has one)
     * 2. the source's owned skus join the target's and the source's set goes. A target being
     * erased stops it: its erasure follows MERGED_FROM into the source's partition and removes
     * what stayed there.
     */
    async customersMerged({ targetId, sourceId }: { targetId: string; sourceId: string }): Promise<SalesMergeOutcome> {
      for (const link of await store.linksOf(sourceId)) {
        if ((await store.moveLink(link, targetId)) === 'target-gone') return 'target-gone';
      }
      for (let attempt = 1; attempt <= OWNED_ATTEMPTS; attempt++) {
        const [source, target] = await Promise.all([store.owned(sourceId), store.owned(targetId)]);
        if (source.version === 0) return 'merged';
        const skus = [...new Set([...target.skus, ...source.skus])].sort();
        const outcome = await store.mergeOwned({ sourceId, source, targetId, target, skus });
        if (outcome !== 'changed') return outcome;
      }
      throw new ConcurrentUpdateError();
    },
  };
}

export type SalesMergeConsumer = ReturnType<typeof salesMergeConsumer>;
