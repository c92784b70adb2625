import { describe, expect, it } from 'vitest';
import type { CustomerFacts } from '../../domain/campaigns/segment-rule.ts';
import { EMPTY_STATS } from '../../domain/customers/stats.ts';
import { needsOf, popularInSegments, segmentsOf } from '../../domain/sales/segment-popularity.ts';

const NOW = new Date('2026-12-01T10:00:00.000Z');

function person(id: string, tags: string[], attributes: Record<string, string> = {}): CustomerFacts {
  return {
    profile: { id, email: `${id}@shop.test`, firstName: null, lastName: null, phone: null, locale: 'de-DE', timezone: null, attributes, tags, stats: EMPTY_STATS, createdAt: '2026-01-01T00:00:00.000Z' },
    consent: { news: 'subscribed' },
  };
}

const catalogue = new Map([
  ['A', { name: 'Apron', active: true }],
  ['B', { name: 'Bread knife', active: true }],
  ['C', { name: 'Colander', active: true }],
  ['D', { name: 'Dish rack', active: false }],
]);

describe('segments of a person (the campaigns rule evaluator)', () => {
  const segments = [
    { id: 'vip', rule: { field: 'tags', op: 'contains', value: 'vip' } as const },
    { id: 'german', rule: { field: 'country', op: 'eq', value: 'DE' } as const },
    { id: 'news', rule: { all: [{ field: 'consent.news', op: 'eq', value: 'subscribed' } as const, { field: 'cases.open', op: 'gt', value: 0 } as const] } },
  ];

  it('keeps the segments any of the people is in, in the order given', () => {
    expect(segmentsOf(segments, [person('a', ['vip'])], NOW)).toEqual(['vip', 'german']);
    expect(segmentsOf(segments, [person('a', [], { country: 'FR' })], NOW)).toEqual([]);
    expect(segmentsOf(segments, [person('a', [], { country: 'FR' }), person('b', ['vip'], { country: 'FR' })], NOW)).toEqual(['vip']);
    expect(segmentsOf(segments, [{ ...person('a', []), cases: { open: 1, openUrgent: 0, breachedLast30Days: 0 } }], NOW)).toEqual(['german', 'news']);
    expect(segmentsOf(segments, [], NOW)).toEqual([]);
  });

  it('reads only what the rules need beside the profile: the union of their topics, cases and scores', () => {
    expect(needsOf(segments)).toEqual({ consentTopics: ['news'], cases: true, scores: false });
    expect(needsOf(segments.slice(0, 2))).toEqual({ consentTopics: [], cases: false, scores: false });
    expect(needsOf([...segments, { id: 'sleepy', rule: { field: 'scores.rfm.label', op: 'eq', value: 'hibernating' } as const }])).toEqual({ consentTopics: ['news'], cases: true, scores: true });
  });
});

describe('best sellers of segments', () => {
  it("ranks by the product's share of its segment's purchases, names the segment, leaves out inactive and excluded products", () => {
    const sales = new Map([
      ['big', new Map([['A', 60], ['B', 30], ['D', 10]])],
      ['small', new Map([['C', 3], ['B', 1]])],
    ]);
    const items = popularInSegments({ sales, catalogue, exclude: new Set(), limit: 5 });
    expect(items.map((i) => [i.sku, i.reason, i.score])).toEqual([
      ['C', { kind: 'popular_in_segment', segmentId: 'small' }, 0.75],
      ['A', { kind: 'popular_in_segment', segmentId: 'big' }, 0.6],
      ['B', { kind: 'popular_in_segment', segmentId: 'big' }, 0.3],
    ]);
    expect(items[0]).toMatchObject({ name: 'Colander', support: 0.75, confidence: 0.75, lift: 1 });
    expect(popularInSegments({ sales, catalogue, exclude: new Set(['C']), limit: 1 }).map((i) => i.sku)).toEqual(['A']);
  });

  it('breaks equal shares by purchases, then sku; an empty segment adds nothing', () => {
    const sales = new Map([
      ['one', new Map([['B', 1], ['A', 1]])],
      ['two', new Map([['C', 5], ['A', 5]])],
      ['none', new Map<string, number>()],
    ]);
    expect(popularInSegments({ sales, catalogue, exclude: new Set(), limit: 5 }).map((i) => [i.sku, i.reason])).toEqual([
      ['A', { kind: 'popular_in_segment', segmentId: 'two' }],
      ['C', { kind: 'popular_in_segment', segmentId: 'two' }],
      ['B', { kind: 'popular_in_segment', segmentId: 'one' }],
    ]);
    expect(popularInSegments({ sales: new Map(), catalogue, exclude: new Set(), limit: 5 })).toEqual([]);
    expect(popularInSegments({ sales, catalogue, exclude: new Set(), limit: 0 })).toEqual([]);
  });
});
