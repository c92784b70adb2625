import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CatalogueEntry, MIN_PAIR_CUSTOMERS, popular, purchaseDelta, recommend } from '../../domain/sales/co-occurrence.ts';

// The co-occurrence model, pure: the increments a purchase causes, the counters they add up to
// (whatever the order and however often a customer rebuys), and the ranking built from them.

interface Counters {
  customers: number;
  owners: Map<string, number>;
  pairs: Map<string, Map<string, number>>;
}
const empty = (): Counters => ({ customers: 0, owners: new Map(), pairs: new Map() });

/** Applies purchases one by one as the consumer does: the delta against what the customer owned. */
function incrementally(purchases: readonly (readonly [string, readonly string[]])[]): Counters {
  const counters = empty();
  const owned = new Map<string, Set<string>>();
  for (const [customer, skus] of purchases) {
    const mine = owned.get(customer) ?? new Set<string>();
    const delta = purchaseDelta(mine, skus);
    if (delta.firstPurchase) counters.customers++;
    for (const n of delta.newSkus) counters.owners.set(n, (counters.owners.get(n) ?? 0) + 1);
    for (const [x, ys] of delta.partners) {
      const row = counters.pairs.get(x) ?? new Map<string, number>();
      for (const y of ys) row.set(y, (row.get(y) ?? 0) + 1);
      counters.pairs.set(x, row);
    }
    owned.set(customer, new Set([...mine, ...skus]));
  }
  return counters;
}

/** The counters by definition, from what each customer ends up owning. */
function fromOwnedSets(purchases: readonly (readonly [string, readonly string[]])[]): Counters {
  const owned = new Map<string, Set<string>>();
  for (const [customer, skus] of purchases) owned.set(customer, new Set([...(owned.get(customer) ?? []), ...skus]));
  const counters = empty();
  for (const skus of owned.values()) {
    if (skus.size === 0) continue;
    counters.customers++;
    for (const x of skus) {
      counters.owners.set(x, (counters.owners.get(x) ?? 0) + 1);
      const row = counters.pairs.get(x) ?? new Map<string, number>();
      for (const y of skus) if (y !== x) row.set(y, (row.get(y) ?? 0) + 1);
      if (row.size > 0) counters.pairs.set(x, row);
    }
  }
  return counters;
}

const purchasesArb = fc.array(fc.tuple(fc.constantFrom('c1', 'c2', 'c3', 'c4'), fc.array(fc.constantFrom('A', 'B', 'C', 'D', 'E', 'F'), { maxLength: 5 })), { maxLength: 25 });

describe('purchaseDelta', () => {
  it('counts only skus new to the customer: pairs with each owned one (both orders) and among themselves', () => {
    const delta = purchaseDelta(new Set(['A', 'B']), ['C', 'A', 'D', 'C']);
    expect(delta.newSkus).toEqual(['C', 'D']);
    expect(delta.firstPurchase).toBe(false);
    expect(Object.fromEntries([...delta.partners].map(([x, ys]) => [x, [...ys].sort()]))).toEqual({ A: ['C', 'D'], B: ['C', 'D'], C: ['A', 'B', 'D'], D: ['A', 'B', 'C'] });
  });

  it('a first purchase counts the customer; a rebuy of owned skus changes nothing', () => {
    expect(purchaseDelta(new Set(), ['A'])).toMatchObject({ newSkus: ['A'], firstPurchase: true });
    const rebuy = purchaseDelta(new Set(['A', 'B']), ['B', 'A']);
    expect(rebuy).toMatchObject({ newSkus: [], firstPurchase: false });
    expect(rebuy.partners.size).toBe(0);
    expect(purchaseDelta(new Set(), [])).toMatchObject({ newSkus: [], firstPurchase: false });
  });

  it('property: incremental counters equal the counters of the final owned sets, in any order, with rebuys', () => {
    fc.assert(
      fc.property(purchasesArb, fc.infiniteStream(fc.nat()), (purchases, seeds) => {
        const reference = fromOwnedSets(purchases);
        expect(incrementally(purchases)).toEqual(reference);
        // Any other order (and every purchase delivered twice in a row, deduplicated per customer by the owned set).
        const shuffled = [...purchases].map((p) => [p, seeds.next().value as number] as const).sort((a, b) => a[1] - b[1]).map(([p]) => p);
        expect(incrementally(shuffled.flatMap((p) => [p, p]))).toEqual(reference);
      }),
    );
  });
});

const catalogue = (entries: Record<string, boolean>) => new Map<string, CatalogueEntry>(Object.entries(entries).map(([sku, active]) => [sku, { name: `Product ${sku}`, active }]));

describe('recommend', () => {
  // 10 customers; owners A 6, B 4, C 3, D 2, E 5, F 2 (inactive); pairs from A: B 3, C 2, D 1, F 2.
  const counts = { customers: 10, owners: new Map([['A', 6], ['B', 4], ['C', 3], ['D', 2], ['E', 5], ['F', 2]]) };
  const partnersOf = new Map([['A', new Map([['B', 3], ['C', 2], ['D', 1], ['F', 2]])], ['E', new Map([['C', 3], ['B', 1]])]]);
  const all = catalogue({ A: true, B: true, C: true, D: true, E: true, F: false, G: true });

  it('scores each candidate by its best lift over the owned skus, with support and confidence of that rule', () => {
    const items = recommend({ owned: new Set(['A', 'E']), counts, partnersOf, catalogue: all, limit: 10 });
    // E -> C: pair 3, confidence 3/5, support 3/10, lift 3*10/(5*3) = 2; A -> C would be 2*10/(6*3) = 1.11.
    expect(items[0]).toEqual({ sku: 'C', name: 'Product C', score: 2, reason: { kind: 'bought_with', sku: 'E' }, support: 0.3, confidence: 0.6, lift: 2 });
    // A -> B: 3*10/(6*4) = 1.25 (E -> B has pair 1, below the threshold).
    expect(items[1]).toMatchObject({ sku: 'B', reason: { kind: 'bought_with', sku: 'A' }, lift: 1.25 });
    // D is below MIN_PAIR_CUSTOMERS, F inactive, A and E owned: then popular ones (G nobody owns, then D by owners).
    expect(MIN_PAIR_CUSTOMERS).toBe(2);
    expect(items.slice(2).map((i) => [i.sku, i.reason.kind])).toEqual([
      ['D', 'popular'],
      ['G', 'popular'],
    ]);
  });

  it('ties on lift go to the higher confidence, then support', () => {
    // X -> P: 2*8/(4*4) = 1; X -> Q: 4*8/(4*8) = 1, confidence 1 beats 0.5.
    const tie = recommend({
      owned: new Set(['X']),
      counts: { customers: 8, owners: new Map([['X', 4], ['P', 4], ['Q', 8]]) },
      partnersOf: new Map([['X', new Map([['P', 2], ['Q', 4]])]]),
      catalogue: catalogue({ X: true, P: true, Q: true }),
      limit: 2,
    });
    expect(tie.map((i) => i.sku)).toEqual(['Q', 'P']);
  });

  it('honours the limit, and fills with popular products only when rules run out', () => {
    expect(recommend({ owned: new Set(['A', 'E']), counts, partnersOf, catalogue: all, limit: 1 }).map((i) => i.sku)).toEqual(['C']);
    const none = recommend({ owned: new Set(), counts, partnersOf, catalogue: all, limit: 3 });
    expect(none.map((i) => [i.sku, i.score])).toEqual([
      ['A', 0.6],
      ['E', 0.5],
      ['B', 0.4],
    ]);
    expect(none.every((i) => i.reason.kind === 'popular' && i.lift === 1)).toBe(true);
  });

  it('property: never recommends an owned, inactive or unknown product, nor one twice, nor more than the limit', () => {
    const skus = ['A', 'B', 'C', 'D', 'E', 'F', 'G'];
    fc.assert(
      fc.property(
        purchasesArb,
        fc.subarray(skus),
        fc.subarray(skus),
        fc.integer({ min: 1, max: 20 }),
        (purchases, owned, inactive, limit) => {
          const c = incrementally(purchases);
          const entries = catalogue(Object.fromEntries(skus.filter((s) => s !== 'G' || owned.length % 2 === 0).map((s) => [s, !inactive.includes(s)])));
          const items = recommend({ owned: new Set(owned), counts: c, partnersOf: c.pairs, catalogue: entries, limit });
          expect(items.length).toBeLessThanOrEqual(limit);
          expect(new Set(items.map((i) => i.sku)).size).toBe(items.length);
          for (const item of items) {
            expect(owned).not.toContain(item.sku);
            expect(entries.get(item.sku)?.active).toBe(true);
            if (item.reason.kind === 'bought_with') {
              expect(owned).toContain(item.reason.sku);
              expect(c.pairs.get(item.reason.sku)!.get(item.sku)!).toBeGreaterThanOrEqual(MIN_PAIR_CUSTOMERS);
            }
          }
          // As many as there are eligible products, up to the limit.
          const eligible = [...entries].filter(([s, e]) => e.active && !owned.includes(s)).length;
          expect(items.length).toBe(Math.min(limit, eligible));
        },
      ),
    );
  });

  it('popular: by owner share, ties by sku, nothing with no customers counted yet scored above 0', () => {
    expect(popular({ counts: { customers: 0, owners: new Map() }, catalogue: catalogue({ B: true, A: true }), exclude: new Set(), limit: 5 }).map((i) => [i.sku, i.score])).toEqual([
      ['A', 0],
      ['B', 0],
    ]);
  });
});
