import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { combineStats, type CustomerStats, EMPTY_STATS, statsIncrement, withInteraction } from '../../domain/customers/stats.ts';

const at = (minute: number) => new Date(Date.UTC(2025, 0, 15, 9, minute)).toISOString();

describe('withInteraction', () => {
  it('counts the interaction and remembers its time and channel', () => {
    expect(withInteraction(EMPTY_STATS, { type: 'click', channel: 'web', occurredAt: at(1), value: null })).toEqual({
      interactionCount: 1,
      lastInteractionAt: at(1),
      lastChannel: 'web',
      purchaseCount: 0,
      totalSpent: {},
      byChannel: { web: 1 },
    });
  });

  it('counts interactions per channel, late ones too', () => {
    let stats: CustomerStats = EMPTY_STATS;
    for (const [channel, minute] of [['web', 30], ['email', 5], ['web', 1], ['store', 40]] as const) {
      stats = withInteraction(stats, { type: 'visit', channel, occurredAt: at(minute), value: null });
    }
    expect(stats.byChannel).toEqual({ web: 2, email: 1, store: 1 });
    expect(EMPTY_STATS.byChannel).toEqual({});
  });

  it('keeps the latest time and channel when an older interaction arrives late', () => {
    const recent = withInteraction(EMPTY_STATS, { type: 'click', channel: 'web', occurredAt: at(30), value: null });
    const late = withInteraction(recent, { type: 'open', channel: 'email', occurredAt: at(5), value: null });
    expect(late).toMatchObject({ interactionCount: 2, lastInteractionAt: at(30), lastChannel: 'web' });
  });

  it('sums money exactly to 4 decimals (no float drift) and treats refunds as negative', () => {
    let stats: CustomerStats = EMPTY_STATS;
    for (let i = 0; i < 10; i++) stats = withInteraction(stats, { type: 'purchase', channel: 'store', occurredAt: at(i), value: { amount: 0.1, currency: 'EUR' } });
    stats = withInteraction(stats, { type: 'refund', channel: 'store', occurredAt: at(20), value: { amount: 0.3, currency: 'EUR' } });
    expect(stats.totalSpent).toEqual({ EUR: 0.7 });
    expect(stats.purchaseCount).toBe(10);
  });

  it('does not add the value of interactions that are neither purchase nor refund', () => {
    const stats = withInteraction(EMPTY_STATS, { type: 'quote', channel: 'email', occurredAt: at(1), value: { amount: 99, currency: 'EUR' } });
    expect(stats.totalSpent).toEqual({});
  });
});

describe('combineStats', () => {
  // Consistent stats: a last time and channel exist together, once anything was counted.
  const statsArb = fc
    .record({
      interactionCount: fc.nat(1000),
      last: fc.option(fc.tuple(fc.integer({ min: 0, max: 59 }).map(at), fc.constantFrom('web', 'email', 'phone')), { nil: null }),
      purchaseCount: fc.nat(100),
      totalSpent: fc.dictionary(fc.constantFrom('EUR', 'USD', 'GBP'), fc.integer({ min: -1e6, max: 1e6 }).map((n) => n / 100)),
      byChannel: fc.dictionary(fc.constantFrom('web', 'email', 'phone'), fc.nat(1000)),
    })
    .map(({ last, ...rest }): CustomerStats => ({ ...rest, lastInteractionAt: last?.[0] ?? null, lastChannel: last?.[1] ?? null }));

  it('adds counts and money and keeps the later interaction, whichever side it is on', () => {
    fc.assert(
      fc.property(statsArb, statsArb, (a, b) => {
        const combined = combineStats(a, b);
        expect(combined.interactionCount).toBe(a.interactionCount + b.interactionCount);
        expect(combined.purchaseCount).toBe(a.purchaseCount + b.purchaseCount);
        for (const currency of new Set([...Object.keys(a.totalSpent), ...Object.keys(b.totalSpent)])) {
          expect(combined.totalSpent[currency]).toBeCloseTo((a.totalSpent[currency] ?? 0) + (b.totalSpent[currency] ?? 0), 4);
        }
        for (const channel of ['web', 'email', 'phone'] as const) {
          expect(combined.byChannel[channel] ?? 0).toBe((a.byChannel[channel] ?? 0) + (b.byChannel[channel] ?? 0));
        }
        const latest = [a.lastInteractionAt, b.lastInteractionAt].filter((t) => t !== null).sort().at(-1) ?? null;
        expect(combined.lastInteractionAt).toBe(latest);
      }),
    );
  });

  it('has EMPTY_STATS as its identity', () => {
    fc.assert(
      fc.property(statsArb, (a) => {
        expect(combineStats(a, EMPTY_STATS)).toEqual(a);
        expect(combineStats(EMPTY_STATS, a)).toEqual(a);
      }),
    );
  });
});

describe('statsIncrement', () => {
  const purchase = (minute: number, amount: number) => ({ type: 'purchase', channel: 'store' as const, occurredAt: at(minute), value: { amount, currency: 'EUR' } });
  const click = (minute: number) => ({ type: 'click', channel: 'web' as const, occurredAt: at(minute), value: null });

  it('is what a batch added: counts, money per currency, interactions per channel, and the newest when it moved', () => {
    const before = withInteraction(EMPTY_STATS, { type: 'click', channel: 'web', occurredAt: at(10), value: null });
    const after = withInteraction(withInteraction(before, purchase(20, 19.99)), click(5));
    expect(statsIncrement(before, after)).toEqual({
      interactionCount: 2,
      purchaseCount: 1,
      totalSpent: { EUR: 19.99 },
      byChannel: { store: 1, web: 1 },
      latest: { at: at(20), channel: 'store' },
    });
  });

  it('names no newest when the batch held only older interactions, and leaves out what did not change', () => {
    const before = withInteraction(EMPTY_STATS, purchase(30, 5));
    const after = withInteraction(before, { type: 'click', channel: 'web', occurredAt: at(1), value: null });
    expect(statsIncrement(before, after)).toEqual({ interactionCount: 1, purchaseCount: 0, totalSpent: {}, byChannel: { web: 1 }, latest: null });
  });

  it('added on top of what a concurrent writer committed meanwhile, gives what applying both batches in turn gives', () => {
    const batch = fc.array(fc.record({ minute: fc.integer({ min: 0, max: 59 }), cents: fc.integer({ min: 0, max: 10_000 }), refund: fc.boolean() }), { maxLength: 8 });
    const items = (list: { minute: number; cents: number; refund: boolean }[]) =>
      list.map(({ minute, cents, refund }) => ({ ...purchase(minute, cents / 100), type: refund ? 'refund' : 'purchase' }));
    const nonZero = (money: Record<string, number>) => Object.fromEntries(Object.entries(money).filter(([, amount]) => amount !== 0));
    fc.assert(
      fc.property(batch, batch, (mine, theirs) => {
        const add = statsIncrement(EMPTY_STATS, items(mine).reduce(withInteraction, EMPTY_STATS));
        const committed = items(theirs).reduce(withInteraction, EMPTY_STATS);
        // What the store makes of the increment on top of the other writer's commit.
        const totalSpent = { ...committed.totalSpent };
        for (const [currency, amount] of Object.entries(add.totalSpent)) totalSpent[currency] = Math.round(((totalSpent[currency] ?? 0) + amount) * 1e4) / 1e4;
        const inTurn = items(mine).reduce(withInteraction, committed);
        expect({
          interactionCount: committed.interactionCount + add.interactionCount,
          purchaseCount: committed.purchaseCount + add.purchaseCount,
          totalSpent: nonZero(totalSpent),
        }).toEqual({ interactionCount: inTurn.interactionCount, purchaseCount: inTurn.purchaseCount, totalSpent: nonZero(inTurn.totalSpent) });
      }),
    );
  });
});
