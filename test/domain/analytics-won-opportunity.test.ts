import { describe, expect, it } from 'vitest';
import type { AnalyticsPurchase } from '../../domain/analytics/analytics-purchase.ts';
import { memoryPurchaseFeed } from '../support/analytics-fakes.ts';
import { splitEvenly, type WonOpportunity, wonDayOf, wonOpportunityPurchases } from '../../domain/analytics/won-opportunity-purchases.ts';

describe('a won opportunity split over its contacts', () => {
  it('gives whole cents that add up to the amount, the cents left over to the first shares', () => {
    expect(splitEvenly(100, 3)).toEqual([33.34, 33.33, 33.33]);
    expect(splitEvenly(0.05, 2)).toEqual([0.03, 0.02]);
    expect(splitEvenly(0.01, 3)).toEqual([0.01, 0, 0]);
    expect(splitEvenly(1234.56, 1)).toEqual([1234.56]);
    expect(splitEvenly(0, 4)).toEqual([0, 0, 0, 0]);
    const shares = splitEvenly(999.99, 7);
    expect(Math.round(shares.reduce((a, b) => a + b, 0) * 100)).toBe(99999);
    expect(Math.max(...shares) - Math.min(...shares)).toBeCloseTo(0.01, 10);
  });

  it('is dated on its closeDate, but never after the day it was marked won', () => {
    const history = [
      { stage: 'qualify', at: '2026-03-01T08:00:00.000Z' },
      { stage: 'won', at: '2026-05-10T23:30:00.000Z' },
    ];
    expect(wonDayOf({ closeDate: '2026-04-30', stageHistory: history })).toBe('2026-04-30');
    expect(wonDayOf({ closeDate: '2026-05-10', stageHistory: history })).toBe('2026-05-10');
    expect(wonDayOf({ closeDate: '2026-12-31', stageHistory: history })).toBe('2026-05-10');
    expect(wonDayOf({ closeDate: '2026-06-01', stageHistory: [] })).toBe('2026-06-01');
  });
});

function fakes(opportunity: WonOpportunity | undefined, contacts: string[], gone: Set<string> = new Set()) {
  const { items, store: purchases } = memoryPurchaseFeed(gone);
  const refreshed: string[] = [];
  const asked: { accountId: string; max: number }[] = [];
  const use = wonOpportunityPurchases({
    opportunities: { get: async (id) => (opportunity?.id === id ? opportunity : undefined) },
    contacts: {
      contactIds: async (accountId, max) => {
        asked.push({ accountId, max });
        return contacts;
      },
    },
    purchases,
    afterPurchase: async (id) => refreshed.push(id),
  });
  return { items, refreshed, asked, use };
}

const won: WonOpportunity = {
  id: 'opp-1',
  accountId: 'acc-1',
  stage: 'won',
  amount: 100,
  currency: 'USD',
  closeDate: '2026-05-10',
  stageHistory: [{ stage: 'won', at: '2026-05-10T12:00:00.000Z' }],
};

describe('won opportunities as analytics purchases', () => {
  it("records each contact's share once under opportunity:<id>, sorted by contact, and refreshes their scores", async () => {
    const { items, refreshed, asked, use } = fakes(won, ['c3', 'c1', 'c2']);
    expect(await use.opportunityWon({ opportunityId: 'opp-1' })).toEqual({ outcome: 'recorded', day: '2026-05-10', contacts: { recorded: 3 } });
    expect(asked).toEqual([{ accountId: 'acc-1', max: 1000 }]);
    expect([...items.values()]).toEqual([
      { customerId: 'c1', interactionId: 'opportunity:opp-1', day: '2026-05-10', amount: 33.34, currency: 'USD' },
      { customerId: 'c2', interactionId: 'opportunity:opp-1', day: '2026-05-10', amount: 33.33, currency: 'USD' },
      { customerId: 'c3', interactionId: 'opportunity:opp-1', day: '2026-05-10', amount: 33.33, currency: 'USD' },
    ]);
    expect(refreshed).toEqual(['c1', 'c2', 'c3']);
    // Redelivered: nothing twice, the scores refreshed again (a redelivery may follow a failed refresh).
    expect(await use.opportunityWon({ opportunityId: 'opp-1' })).toEqual({ outcome: 'recorded', day: '2026-05-10', contacts: { duplicate: 3 } });
    expect(items.size).toBe(3);
  });

  it('gives a contact being erased or merged away nothing (and refreshes nothing for it)', async () => {
    const { items, refreshed, use } = fakes({ ...won, amount: 10 }, ['c1', 'c2'], new Set(['c2']));
    expect(await use.opportunityWon({ opportunityId: 'opp-1' })).toEqual({ outcome: 'recorded', day: '2026-05-10', contacts: { recorded: 1, 'customer-gone': 1 } });
    expect([...items.values()].map((p) => [p.customerId, p.amount])).toEqual([['c1', 5]]);
    expect(refreshed).toEqual(['c1']);
  });

  it('records nothing for an account without contacts, an opportunity gone or not won', async () => {
    for (const [opportunity, contacts, outcome] of [
      [won, [], 'no-contacts'],
      [undefined, ['c1'], 'no-opportunity'],
      [{ ...won, stage: 'negotiate' }, ['c1'], 'not-won'],
    ] as const) {
      const { items, refreshed, use } = fakes(opportunity, [...contacts]);
      expect(await use.opportunityWon({ opportunityId: 'opp-1' })).toEqual({ outcome });
      expect(items.size).toBe(0);
      expect(refreshed).toEqual([]);
    }
  });
});
