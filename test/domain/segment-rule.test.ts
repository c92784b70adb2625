import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertUsableRule, caseFacts, type CustomerFacts, matches, MAX_CONDITIONS, ruleIssues, ruleNeeds } from '../../domain/campaigns/segment-rule.ts';
import type { Condition, Rule } from '../../domain/campaigns/segment.schema.ts';
import { ValidationError } from '../../domain/shared/errors.ts';
import { EMPTY_STATS } from '../../domain/customers/stats.ts';
import { attributesArb, localeArb, tagsArb } from '../support/arbitraries.ts';

const NOW = new Date('2025-06-30T12:00:00.000Z');
const daysAgo = (n: number) => new Date(NOW.getTime() - n * 24 * 3600 * 1000).toISOString();

function facts(overrides: Partial<CustomerFacts['profile']> = {}, extra: Partial<Omit<CustomerFacts, 'profile'>> = {}): CustomerFacts {
  return {
    profile: {
      id: 'c-1',
      email: 'ada@example.com',
      firstName: 'Ada',
      lastName: 'Lovelace',
      phone: null,
      locale: 'en-GB',
      timezone: 'Europe/London',
      attributes: { plan: 'gold', score: 42, beta: true, renewsAt: daysAgo(-10) },
      tags: ['vip', 'math'],
      stats: {
        ...EMPTY_STATS,
        interactionCount: 5,
        lastInteractionAt: daysAgo(3),
        lastChannel: 'web',
        purchaseCount: 2,
        totalSpent: { EUR: 120.5 },
        byChannel: { web: 3, email: 2 },
      },
      createdAt: daysAgo(100),
      ...overrides,
    },
    consent: { news: 'subscribed', offers: 'unsubscribed' },
    ...extra,
  };
}

const c = (field: string, op: Condition['op'], value?: Condition['value']): Condition => ({ field, op, ...(value === undefined ? {} : { value }) });
const is = (rule: Rule, f: CustomerFacts = facts()) => matches(rule, f, NOW);

describe('matches: one condition per field type', () => {
  it('compares profile strings: eq, ne, in, contains (case-insensitive), exists', () => {
    expect(is(c('firstName', 'eq', 'Ada'))).toBe(true);
    expect(is(c('firstName', 'eq', 'ada'))).toBe(false);
    expect(is(c('firstName', 'ne', 'Grace'))).toBe(true);
    expect(is(c('email', 'in', ['x@example.com', 'ada@example.com']))).toBe(true);
    expect(is(c('email', 'contains', '@EXAMPLE.'))).toBe(true);
    expect(is(c('phone', 'exists'))).toBe(false);
    expect(is(c('phone', 'exists', false))).toBe(true);
    expect(is(c('timezone', 'eq', 'Europe/London'))).toBe(true);
  });

  it('country: attributes.country first, else the region of the locale, upper-cased', () => {
    expect(is(c('country', 'eq', 'GB'))).toBe(true);
    expect(is(c('country', 'eq', 'gb'))).toBe(true);
    expect(is(c('country', 'eq', 'DE'), facts({ attributes: { country: 'de' } }))).toBe(true);
    expect(is(c('country', 'exists'), facts({ locale: 'en' }))).toBe(false);
    expect(is(c('country', 'in', ['FR', 'BR']), facts({ locale: 'pt-BR' }))).toBe(true);
  });

  it('tags: contains one tag, in any of several, exists any tag', () => {
    expect(is(c('tags', 'contains', 'vip'))).toBe(true);
    expect(is(c('tags', 'contains', 'VIP'))).toBe(false);
    expect(is(c('tags', 'in', ['poetry', 'math']))).toBe(true);
    expect(is(c('tags', 'in', ['poetry']))).toBe(false);
    expect(is(c('tags', 'exists'))).toBe(true);
    expect(is(c('tags', 'exists'), facts({ tags: [] }))).toBe(false);
  });

  it('createdAt and lastInteractionAt: time comparisons and day windows against now', () => {
    expect(is(c('createdAt', 'lt', daysAgo(50)))).toBe(true);
    expect(is(c('createdAt', 'gte', daysAgo(50)))).toBe(false);
    expect(is(c('createdAt', 'between', [daysAgo(101), daysAgo(99)]))).toBe(true);
    expect(is(c('createdAt', 'olderThanDays', 99))).toBe(true);
    expect(is(c('createdAt', 'olderThanDays', 100))).toBe(false);
    expect(is(c('stats.lastInteractionAt', 'withinLastDays', 3))).toBe(true);
    expect(is(c('stats.lastInteractionAt', 'withinLastDays', 2))).toBe(false);
    expect(is(c('stats.lastInteractionAt', 'exists'), facts({ stats: EMPTY_STATS }))).toBe(false);
    expect(is(c('stats.lastInteractionAt', 'olderThanDays', 1), facts({ stats: EMPTY_STATS }))).toBe(false);
  });

  it('stats: totals, per channel (a channel never used is 0), purchases and money per currency', () => {
    expect(is(c('stats.interactions.total', 'gte', 5))).toBe(true);
    expect(is(c('stats.interactions.web', 'eq', 3))).toBe(true);
    expect(is(c('stats.interactions.phone', 'eq', 0))).toBe(true);
    expect(is(c('stats.interactions.email', 'between', [1, 2]))).toBe(true);
    expect(is(c('stats.purchases', 'gt', 1))).toBe(true);
    expect(is(c('stats.spent.EUR', 'gt', 100))).toBe(true);
    expect(is(c('stats.spent.USD', 'gt', 0))).toBe(false);
    expect(is(c('stats.lastChannel', 'eq', 'web'))).toBe(true);
  });

  it('stats of a profile stored before byChannel existed count as 0 per channel', () => {
    const old = { ...EMPTY_STATS, interactionCount: 4 };
    expect(is(c('stats.interactions.web', 'eq', 0), facts({ stats: old }))).toBe(true);
  });

  it('consent: the state of the topic, none when never asked', () => {
    expect(is(c('consent.news', 'eq', 'subscribed'))).toBe(true);
    expect(is(c('consent.offers', 'in', ['pending', 'unsubscribed']))).toBe(true);
    expect(is(c('consent.other', 'eq', 'none'))).toBe(true);
    expect(is(c('consent.other', 'exists'))).toBe(false);
    expect(is(c('consent.news', 'exists'))).toBe(true);
  });

  it('cases: open, open urgent and breached counts', () => {
    const withCases = facts({}, { cases: { open: 2, openUrgent: 1, breachedLast30Days: 0 } });
    expect(is(c('cases.open', 'gte', 2), withCases)).toBe(true);
    expect(is(c('cases.openUrgent', 'eq', 1), withCases)).toBe(true);
    expect(is(c('cases.breachedLast30Days', 'gt', 0), withCases)).toBe(false);
    expect(is(c('cases.open', 'eq', 0))).toBe(true);
  });

  it('attributes: the stored value decides (string, number, boolean, date-time text); a missing one matches only ne and exists false', () => {
    expect(is(c('attributes.plan', 'eq', 'gold'))).toBe(true);
    expect(is(c('attributes.plan', 'contains', 'OL'))).toBe(true);
    expect(is(c('attributes.score', 'between', [40, 50]))).toBe(true);
    expect(is(c('attributes.score', 'gt', '41'))).toBe(false);
    expect(is(c('attributes.beta', 'eq', true))).toBe(true);
    expect(is(c('attributes.renewsAt', 'gt', daysAgo(0)))).toBe(true);
    expect(is(c('attributes.renewsAt', 'withinLastDays', 30))).toBe(false);
    expect(is(c('attributes.missing', 'eq', 'x'))).toBe(false);
    expect(is(c('attributes.missing', 'ne', 'x'))).toBe(true);
    expect(is(c('attributes.missing', 'gt', 1))).toBe(false);
    expect(is(c('attributes.missing', 'exists', false))).toBe(true);
  });
});

describe('matches: all, any, not', () => {
  it('combines conditions', () => {
    const rule: Rule = { all: [c('tags', 'contains', 'vip'), { any: [c('country', 'eq', 'DE'), { not: c('consent.news', 'ne', 'subscribed') }] }] };
    expect(is(rule)).toBe(true);
    expect(is({ not: rule })).toBe(false);
  });

  const conditionArb: fc.Arbitrary<Condition> = fc.oneof(
    fc.constantFrom('vip', 'math', 'poetry').map((v) => c('tags', 'contains', v)),
    fc.constantFrom('GB', 'DE', 'BR').map((v) => c('country', 'eq', v)),
    fc.integer({ min: 0, max: 6 }).map((v) => c('stats.interactions.total', 'gte', v)),
    fc.constantFrom('gold', 'silver', 1, true).map((v) => c('attributes.plan', 'eq', v)),
    fc.constantFrom('subscribed', 'none').map((v) => c('consent.news', 'eq', v)),
    fc.integer({ min: 1, max: 200 }).map((v) => c('createdAt', 'withinLastDays', v)),
  );
  const ruleArb: fc.Arbitrary<Rule> = fc.letrec<{ rule: Rule }>((tie) => ({
    rule: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      conditionArb,
      fc.array(tie('rule'), { minLength: 1, maxLength: 3 }).map((all) => ({ all })),
      fc.array(tie('rule'), { minLength: 1, maxLength: 3 }).map((any) => ({ any })),
      tie('rule').map((not) => ({ not })),
    ),
  })).rule;
  const factsArb = fc
    .record({ attributes: attributesArb, tags: tagsArb, locale: localeArb, news: fc.constantFrom('none', 'pending', 'subscribed', 'unsubscribed' as const) })
    .map(({ news, ...profile }) => ({ ...facts(profile), consent: { news } }));

  it('property: not negates, all is every, any is some (De Morgan)', () => {
    fc.assert(
      fc.property(ruleArb, ruleArb, factsArb, (a, b, f) => {
        expect(matches({ not: a }, f, NOW)).toBe(!matches(a, f, NOW));
        expect(matches({ all: [a, b] }, f, NOW)).toBe(matches(a, f, NOW) && matches(b, f, NOW));
        expect(matches({ not: { any: [a, b] } }, f, NOW)).toBe(matches({ all: [{ not: a }, { not: b }] }, f, NOW));
      }),
    );
  });

  it('property: ne is exactly not eq, and in is some eq, for any attribute value', () => {
    const scalar = fc.oneof(fc.string({ maxLength: 5 }), fc.integer({ min: -3, max: 3 }), fc.boolean());
    fc.assert(
      fc.property(fc.option(scalar, { nil: undefined }), scalar, fc.array(scalar, { minLength: 1, maxLength: 4 }), (stored, value, list) => {
        const f = facts({ attributes: stored === undefined ? {} : { x: stored } });
        expect(is(c('attributes.x', 'ne', value), f)).toBe(!is(c('attributes.x', 'eq', value), f));
        expect(is(c('attributes.x', 'in', list), f)).toBe(list.some((v) => is(c('attributes.x', 'eq', v), f)));
      }),
    );
  });

  it('property: between [low, high] is gte low and lte high', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 20 }), (count, x, y) => {
        const [low, high] = x <= y ? [x, y] : [y, x];
        const f = facts({ stats: { ...EMPTY_STATS, interactionCount: count } });
        expect(is(c('stats.interactions.total', 'between', [low, high]), f)).toBe(
          is({ all: [c('stats.interactions.total', 'gte', low), c('stats.interactions.total', 'lte', high)] }, f),
        );
      }),
    );
  });

  it('property: withinLastDays and olderThanDays split the past (a time is in exactly one)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 * 24 }), fc.integer({ min: 1, max: 365 }), (hoursAgo, days) => {
        const f = facts({ createdAt: new Date(NOW.getTime() - hoursAgo * 3600 * 1000).toISOString() });
        expect(is(c('createdAt', 'withinLastDays', days), f)).toBe(!is(c('createdAt', 'olderThanDays', days), f));
      }),
    );
  });
});

describe('ruleIssues: a rule the catalog does not allow is refused, naming where', () => {
  const paths = (rule: unknown) => ruleIssues(rule as Rule).map((i) => i.path);

  it('accepts every field type with its operators', () => {
    const rule: Rule = {
      all: [
        c('email', 'contains', '@example.com'),
        c('country', 'in', ['DE', 'AT']),
        c('tags', 'exists'),
        c('createdAt', 'between', ['2025-01-01T00:00:00Z', '2025-02-01T00:00:00Z']),
        c('stats.interactions.mobile', 'gte', 1),
        c('stats.lastInteractionAt', 'withinLastDays', 30),
        c('consent.news', 'in', ['subscribed', 'pending']),
        c('cases.openUrgent', 'eq', 0),
        { not: c('attributes.plan', 'withinLastDays', 7) },
      ],
    };
    expect(ruleIssues(rule)).toEqual([]);
  });

  it('an unknown field: rule.<path>.field', () => {
    expect(paths({ all: [c('firstName', 'eq', 'A'), c('favouriteColour', 'eq', 'red')] })).toEqual(['rule.all.1.field']);
    expect(paths(c('stats.interactions.fax', 'eq', 1))).toEqual(['rule.field']);
    expect(paths(c('consent.Not A Topic', 'eq', 'none'))).toEqual(['rule.field']);
    expect(paths(c('attributes.', 'eq', 1))).toEqual(['rule.field']);
  });

  it('an operator that does not fit the field type: rule.<path>.op, with the operators that do', () => {
    const issues = ruleIssues({ any: [c('tags', 'gt', 'a'), { not: c('createdAt', 'eq', '2025-01-01T00:00:00Z') }] });
    expect(issues.map((i) => i.path)).toEqual(['rule.any.0.op', 'rule.any.1.not.op']);
    expect(issues[0]!.message).toContain('contains, in, exists');
    expect(paths(c('consent.news', 'contains', 'sub'))).toEqual(['rule.op']);
    expect(paths(c('email', 'withinLastDays', 3))).toEqual(['rule.op']);
  });

  it('a value of the wrong shape for the operator: rule.<path>.value', () => {
    expect(paths(c('stats.interactions.total', 'between', [5]))).toEqual(['rule.value']);
    expect(paths(c('stats.interactions.total', 'between', [9, 1]))).toEqual(['rule.value']);
    expect(paths(c('stats.interactions.total', 'between', ['1', '2']))).toEqual(['rule.value']);
    expect(paths(c('createdAt', 'between', ['2025-01-01T00:00:00Z', 'soon']))).toEqual(['rule.value']);
    expect(paths(c('tags', 'in', 'vip'))).toEqual(['rule.value']);
    expect(paths(c('tags', 'in', []))).toEqual(['rule.value']);
    expect(paths(c('cases.open', 'in', [1, 'two']))).toEqual(['rule.value.1']);
    expect(paths(c('createdAt', 'withinLastDays', 0))).toEqual(['rule.value']);
    expect(paths(c('createdAt', 'withinLastDays', 1.5))).toEqual(['rule.value']);
    expect(paths(c('createdAt', 'olderThanDays', '3'))).toEqual(['rule.value']);
    expect(paths(c('consent.news', 'eq', 'yes'))).toEqual(['rule.value']);
    expect(paths(c('firstName', 'eq'))).toEqual(['rule.value']);
    expect(paths(c('firstName', 'eq', ['A']))).toEqual(['rule.value']);
    expect(paths(c('tags', 'exists', 'yes'))).toEqual(['rule.value']);
    expect(paths(c('stats.purchases', 'gt', '3'))).toEqual(['rule.value']);
  });

  it(`depth: all/any/not nested deeper than 8 levels is refused at the node that goes too deep`, () => {
    let deep: Rule = c('tags', 'exists');
    for (let i = 0; i < 8; i++) deep = { not: deep };
    expect(ruleIssues(deep)).toEqual([]);
    expect(paths({ all: [deep] })).toEqual([`rule.all.0${'.not'.repeat(7)}`]);
  });

  it(`size: at most ${MAX_CONDITIONS} conditions`, () => {
    const many = (n: number): Rule => ({ all: Array.from({ length: n }, () => ({ any: [c('tags', 'exists'), c('tags', 'exists')] })) });
    expect(ruleIssues(many(50))).toEqual([]);
    const issues = ruleIssues(many(51));
    expect(issues).toEqual([{ path: 'rule', message: expect.stringContaining('102 conditions') }]);
  });

  it('assertUsableRule throws a ValidationError carrying the issues', () => {
    expect(() => assertUsableRule(c('nope', 'eq', 1))).toThrow(ValidationError);
    try {
      assertUsableRule(c('nope', 'eq', 1));
    } catch (error) {
      expect((error as ValidationError).issues).toEqual([{ path: 'rule.field', message: expect.stringContaining('nope') }]);
    }
  });
});

describe('ruleNeeds and caseFacts', () => {
  it('names the consent topics and whether cases are needed, so facts are read only when a rule needs them', () => {
    expect(ruleNeeds({ all: [c('consent.news', 'eq', 'subscribed'), { not: c('consent.alerts', 'exists') }, c('tags', 'exists')] })).toEqual({
      consentTopics: ['alerts', 'news'],
      cases: false,
      scores: false,
    });
    expect(ruleNeeds({ any: [c('cases.open', 'gt', 0)] })).toEqual({ consentTopics: [], cases: true, scores: false });
    expect(ruleNeeds({ not: { all: [c('tags', 'exists'), c('scores.cluster', 'eq', 1)] } })).toEqual({ consentTopics: [], cases: false, scores: true });
  });

  it('counts open (not solved or closed), open urgent, and cases breached in the last 30 days', () => {
    const kase = (status: string, priority: string, breachDaysAgo?: number) => ({
      status,
      priority,
      sla: { breaches: breachDaysAgo === undefined ? [] : [{ at: daysAgo(breachDaysAgo) }] },
    });
    expect(
      caseFacts([kase('open', 'urgent', 2), kase('pending', 'normal'), kase('on_hold', 'urgent', 40), kase('solved', 'urgent', 10), kase('closed', 'low')], NOW),
    ).toEqual({ open: 3, openUrgent: 2, breachedLast30Days: 2 });
  });
});

describe('scores fields (issue 13)', () => {
  const scores = { pAlive: 0.8, churnRisk: 0.2, clv: { months12: 140.5, discountRate: 0.01 }, rfm: { r: 5, f: 4, m: 4, score: '544', label: 'champions' as const }, cluster: 0 };
  const scored = facts({}, { scores });

  it('compares pAlive, clv.months12 and churnRisk as numbers, the RFM label and the cluster by eq and in', () => {
    expect(is(c('scores.pAlive', 'gte', 0.8), scored)).toBe(true);
    expect(is(c('scores.churnRisk', 'lt', 0.2), scored)).toBe(false);
    expect(is(c('scores.clv.months12', 'between', [100, 200]), scored)).toBe(true);
    expect(is(c('scores.churnRisk', 'ne', 0.5), scored)).toBe(true);
    expect(is(c('scores.rfm.label', 'eq', 'champions'), scored)).toBe(true);
    expect(is(c('scores.rfm.label', 'in', ['loyal', 'at_risk']), scored)).toBe(false);
    expect(is(c('scores.cluster', 'eq', 0), scored)).toBe(true);
    expect(is(c('scores.cluster', 'in', [1, 2]), scored)).toBe(false);
    expect(is(c('scores.cluster', 'exists'), scored)).toBe(true);
  });

  it('a customer without scores (or without a cluster) matches no comparison, not even ne: only exists false', () => {
    for (const rule of [c('scores.pAlive', 'gte', 0), c('scores.churnRisk', 'ne', 0.5), c('scores.clv.months12', 'lt', 1e9), c('scores.rfm.label', 'in', ['champions', 'hibernating']), c('scores.cluster', 'eq', 0)]) {
      expect(is(rule)).toBe(false);
    }
    expect(is(c('scores.pAlive', 'exists', false))).toBe(true);
    expect(is(c('scores.rfm.label', 'exists'))).toBe(false);
    expect(is({ not: c('scores.rfm.label', 'eq', 'champions') })).toBe(true);
    const unclustered = facts({}, { scores: { ...scores, cluster: null } });
    expect(is(c('scores.cluster', 'exists', false), unclustered)).toBe(true);
    expect(is(c('scores.cluster', 'in', [0, 1]), unclustered)).toBe(false);
  });

  it('refuses values outside the RFM labels or cluster ids, naming the value, and operators that do not fit', () => {
    expect(ruleIssues(c('scores.rfm.label', 'eq', 'champs'))).toEqual([{ path: 'rule.value', message: expect.stringContaining('not "champs"') }]);
    expect(ruleIssues(c('scores.rfm.label', 'in', ['loyal', 'vip']))).toEqual([{ path: 'rule.value.1', message: expect.stringContaining('not "vip"') }]);
    expect(ruleIssues(c('scores.cluster', 'eq', 1.5))).toEqual([{ path: 'rule.value', message: expect.stringContaining('not 1.5') }]);
    expect(ruleIssues(c('scores.cluster', 'in', [0, -1]))).toEqual([{ path: 'rule.value.1', message: expect.stringContaining('not -1') }]);
    expect(ruleIssues(c('scores.cluster', 'eq', '2'))[0]!.message).toContain('not "2"');
    expect(ruleIssues(c('scores.rfm.label', 'contains', 'champ'))[0]!.path).toBe('rule.op');
    expect(ruleIssues(c('scores.cluster', 'gt', 1))[0]!.path).toBe('rule.op');
    expect(ruleIssues(c('scores.pAlive', 'gt', 'high'))).toEqual([{ path: 'rule.value', message: 'must be a number' }]);
    expect(ruleIssues(c('scores.clv.months6', 'gt', 1))[0]!.path).toBe('rule.field');
    expect(ruleIssues({ all: [c('scores.pAlive', 'between', [0.5, 1]), c('scores.rfm.label', 'exists', false), c('scores.cluster', 'in', [0, 3])] })).toEqual([]);
  });
});
