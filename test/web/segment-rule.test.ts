import { describe, expect, it, vi } from 'vitest';
import { debounce, latestOnly } from '../../web/src/screens/marketer/latest-only.ts';
import { conditionOf, draftOf, fieldOfPath, ruleOf } from '../../web/src/screens/marketer/segment-rule.ts';

describe('segment rules from the editor', () => {
  it('joins conditions with all or any and types values by field and operator', () => {
    const rule = ruleOf({
      join: 'all',
      conditions: [
        { field: 'tags', op: 'contains', value: 'vip' },
        { field: 'stats.interactions.web', op: 'gte', value: '3' },
        { field: 'phone', op: 'eq', value: '0123' },
        { field: 'country', op: 'in', value: 'DE, AT' },
        { field: 'stats.purchases', op: 'between', value: '1, 5' },
        { field: 'consent.news', op: 'exists', value: '' },
        { field: 'attributes.vip', op: 'exists', value: 'false' },
      ],
    });
    expect(rule).toEqual({
      all: [
        { field: 'tags', op: 'contains', value: 'vip' },
        { field: 'stats.interactions.web', op: 'gte', value: 3 },
        { field: 'phone', op: 'eq', value: '0123' },
        { field: 'country', op: 'in', value: ['DE', 'AT'] },
        { field: 'stats.purchases', op: 'between', value: [1, 5] },
        { field: 'consent.news', op: 'exists' },
        { field: 'attributes.vip', op: 'exists', value: false },
      ],
    });
    expect(ruleOf({ join: 'any', conditions: [{ field: 'firstName', op: 'eq', value: 'Ada' }] })).toEqual({ any: [{ field: 'firstName', op: 'eq', value: 'Ada' }] });
  });

  it('keeps a time value as text (the API reads ISO dates)', () => {
    expect(conditionOf({ field: 'createdAt', op: 'gt', value: '2026-01-01' })).toEqual({ field: 'createdAt', op: 'gt', value: '2026-01-01' });
  });

  it('reads a flat stored rule back into the editor, and refuses a nested one', () => {
    const rule = { any: [{ field: 'country', op: 'in' as const, value: ['DE', 'AT'] }, { field: 'consent.news', op: 'exists' as const }] };
    expect(draftOf(rule)).toEqual({
      join: 'any',
      conditions: [
        { field: 'country', op: 'in', value: 'DE, AT' },
        { field: 'consent.news', op: 'exists', value: '' },
      ],
    });
    expect(ruleOf(draftOf(rule)!)).toEqual(rule);
    expect(draftOf({ all: [{ not: { field: 'tags', op: 'exists' } }] })).toBeNull();
  });

  it('shows an error of the API at the condition it names', () => {
    expect(fieldOfPath('rule.all.1.op')).toBe('conditions.1.op');
    expect(fieldOfPath('/rule/any/0/value/1')).toBe('conditions.0.value');
    expect(fieldOfPath('rule.all.2')).toBe('conditions.2');
    expect(fieldOfPath('name')).toBe('name');
  });
});

describe('live preview calls', () => {
  it('debounce calls once with the last arguments after the pause, and cancel drops a pending call', () => {
    vi.useFakeTimers();
    try {
      const calls: string[] = [];
      const preview = debounce((rule: string) => calls.push(rule), 400);
      preview('a');
      vi.advanceTimersByTime(300);
      preview('ab');
      vi.advanceTimersByTime(399);
      expect(calls).toEqual([]);
      vi.advanceTimersByTime(1);
      expect(calls).toEqual(['ab']);
      preview('abc');
      preview.cancel();
      vi.advanceTimersByTime(1000);
      expect(calls).toEqual(['ab']);
    } finally {
      vi.useRealTimers();
    }
  });

  it('shows only the newest answer when an older one comes back later', async () => {
    const shown: unknown[] = [];
    const resolvers: ((n: number) => void)[] = [];
    const count = latestOnly(
      () => new Promise<number>((resolve) => resolvers.push(resolve)),
      (outcome) => shown.push(outcome),
    );
    const first = count();
    const second = count();
    resolvers[1]!(7);
    await second;
    resolvers[0]!(3);
    await first;
    expect(shown).toEqual([{ ok: true, value: 7 }]);
  });
});
