import { describe, expect, it } from 'vitest';
import type { CustomerFacts } from '../../domain/campaigns/segment-rule.ts';
import { EMPTY_STATS } from '../../domain/customers/stats.ts';
import type { Account } from '../../domain/sales/account.schema.ts';
import { AccountNotFoundError } from '../../domain/sales/account.ts';
import type { CoOccurrenceStore, PurchaseCommit, SegmentReads } from '../../domain/sales/product.ports.ts';
import { productUseCases } from '../../domain/sales/product.use-cases.ts';
import type { SegmentRuleRef } from '../../domain/sales/segment-popularity.ts';
import { fakeClock } from '../support/fakes.ts';

// The recommendation use cases over in-memory ports: an account as one buyer over its contacts,
// the per-segment fallback, and the segments a purchase is counted for.

const catalogue = new Map([
  ['A', { name: 'Apron', active: true }],
  ['B', { name: 'Bread knife', active: true }],
  ['C', { name: 'Colander', active: true }],
  ['D', { name: 'Dish rack', active: true }],
]);

function person(id: string, tags: string[]): CustomerFacts {
  return {
    profile: { id, email: `${id}@shop.test`, firstName: null, lastName: null, phone: null, locale: null, timezone: null, attributes: {}, tags, stats: EMPTY_STATS, createdAt: '2026-01-01T00:00:00.000Z' },
    consent: {},
  };
}

function setUp(options: { owned?: Record<string, string[]>; contacts?: string[]; segments?: SegmentRuleRef[]; tags?: Record<string, string[]>; sales?: Record<string, Record<string, number>> } = {}) {
  const calls = { owned: [] as string[][], facts: [] as string[][], segmentReads: 0, commits: [] as PurchaseCommit[] };
  const owned = options.owned ?? {};
  const coOccurrence: CoOccurrenceStore = {
    customerExists: async () => true,
    async owned(ids) {
      calls.owned.push([...ids]);
      return { skus: new Set(ids.flatMap((id) => owned[id] ?? [])), version: ids.length === 1 && owned[ids[0]!] ? 1 : 0 };
    },
    async commitPurchase(commit) {
      calls.commits.push(commit);
      return 'recorded';
    },
    counts: async () => ({ customers: 4, owners: new Map([['A', 3], ['B', 2], ['C', 2], ['D', 1]]) }),
    // A and B are bought together by 2 customers.
    partners: async (skus) => {
      const all = new Map<string, Map<string, number>>([['A', new Map([['B', 2]])], ['B', new Map([['A', 2]])]]);
      return new Map(skus.flatMap((s): [string, Map<string, number>][] => (all.has(s) ? [[s, all.get(s)!]] : [])));
    },
  };
  const segments: SegmentReads = {
    async segments() {
      calls.segmentReads++;
      return options.segments ?? [];
    },
    async facts(ids) {
      calls.facts.push([...ids]);
      return ids.flatMap((id) => (options.tags?.[id] ? [person(id, options.tags[id]!)] : []));
    },
    sales: async (ids) => new Map(ids.map((id) => [id, new Map(Object.entries(options.sales?.[id] ?? {}))])),
  };
  const account = { id: 'acc-1', name: 'Acme' } as Account;
  const contacts = options.contacts ?? [];
  const useCases = productUseCases({
    products: { get: async () => undefined, save: async () => true, list: async () => ({ items: [], nextCursor: null }), catalogue: async () => catalogue },
    coOccurrence,
    segments,
    accounts: { get: async (id) => (id === account.id ? account : undefined), contactIds: async (_id, max) => contacts.slice(0, max + 1) },
    clock: fakeClock('2026-12-01T10:00:00.000Z'),
  });
  return { useCases, calls };
}

const vip: SegmentRuleRef = { id: 'vip', rule: { field: 'tags', op: 'contains', value: 'vip' } };
const pairs = (items: { sku: string; reason: { kind: string } }[]) => items.map((i) => [i.sku, i.reason]);

describe('account recommendations', () => {
  it('recommends over what any contact owns and excludes all of it', async () => {
    const { useCases, calls } = setUp({ contacts: ['c1', 'c2'], owned: { c1: ['A'], c2: ['C'] } });
    expect(pairs(await useCases.recommendationsForAccount('acc-1', 3))).toEqual([
      ['B', { kind: 'bought_with', sku: 'A' }],
      ['D', { kind: 'popular' }],
    ]);
    expect(calls.owned).toEqual([['c1', 'c2']]);
  });

  it('reads at most the first 50 contacts', async () => {
    const contacts = Array.from({ length: 80 }, (_, i) => `c${String(i).padStart(2, '0')}`);
    const { useCases, calls } = setUp({ contacts });
    await useCases.recommendationsForAccount('acc-1', 5);
    expect(calls.owned[0]).toEqual(contacts.slice(0, 50));
  });

  it("falls back to the contacts' segments, and to overall popularity without contacts (no segment read then)", async () => {
    const withMember = setUp({ contacts: ['c1', 'c2'], segments: [vip], tags: { c1: [], c2: ['vip'] }, sales: { vip: { D: 4, C: 1 } } });
    expect(pairs(await withMember.useCases.recommendationsForAccount('acc-1', 3))).toEqual([
      ['D', { kind: 'popular_in_segment', segmentId: 'vip' }],
      ['C', { kind: 'popular_in_segment', segmentId: 'vip' }],
      ['A', { kind: 'popular' }],
    ]);
    expect(withMember.calls.facts).toEqual([['c1', 'c2']]);
    const empty = setUp();
    expect(pairs(await empty.useCases.recommendationsForAccount('acc-1', 2))).toEqual([
      ['A', { kind: 'popular' }],
      ['B', { kind: 'popular' }],
    ]);
    expect(empty.calls.segmentReads).toBe(0);
  });

  it('refuses an unknown account', async () => {
    await expect(setUp().useCases.recommendationsForAccount('nope', 5)).rejects.toBeInstanceOf(AccountNotFoundError);
  });
});

describe('customer recommendations and purchases with segments', () => {
  it('a customer who owns nothing gets the best sellers of its segments, then overall; a non-member overall only', async () => {
    const { useCases } = setUp({ segments: [vip], tags: { m: ['vip'], n: [] }, sales: { vip: { C: 2, D: 2, A: 1 } } });
    expect(pairs(await useCases.recommendationsFor('m', 4))).toEqual([
      ['C', { kind: 'popular_in_segment', segmentId: 'vip' }],
      ['D', { kind: 'popular_in_segment', segmentId: 'vip' }],
      ['A', { kind: 'popular_in_segment', segmentId: 'vip' }],
      ['B', { kind: 'popular' }],
    ]);
    expect(pairs(await useCases.recommendationsFor('n', 2))).toEqual([
      ['A', { kind: 'popular' }],
      ['B', { kind: 'popular' }],
    ]);
  });

  it('counts a purchase for the segments the buyer is in now, reading the definitions once', async () => {
    const other: SegmentRuleRef = { id: 'other', rule: { field: 'tags', op: 'contains', value: 'other' } };
    const { useCases, calls } = setUp({ segments: [vip, other], tags: { m: ['vip'] } });
    await useCases.recordPurchase('m', ['A'], { kind: 'interaction', interactionId: 'i1', orderId: null }, { correlationId: 'c' });
    expect(calls.commits.map((c) => c.segmentIds)).toEqual([['vip']]);
    expect(calls.segmentReads).toBe(1);
    const none = setUp();
    await none.useCases.recordPurchase('m', ['A'], { kind: 'interaction', interactionId: 'i1', orderId: null }, { correlationId: 'c' });
    expect(none.calls.commits.map((c) => c.segmentIds)).toEqual([[]]);
    expect(none.calls.facts).toEqual([]);
  });
});
