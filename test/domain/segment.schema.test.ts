import { describe, expect, it } from 'vitest';
import { SegmentInput } from '../../domain/campaigns/segment.schema.ts';
import { createSegment, replaceSegment } from '../../domain/campaigns/segment.ts';
import { ValidationError } from '../../domain/shared/errors.ts';
import { toIssues } from '../../functions/shared/validation.ts';

// The rule's shape as the HTTP body carries it: precise paths where a bare union could only say
// "invalid input", and bounded depth before the recursive schema walks it.

const issuesOf = (rule: unknown) => {
  const result = SegmentInput.safeParse({ name: 'S', rule });
  return result.success ? [] : toIssues(result.error);
};

describe('SegmentInput rule', () => {
  it('accepts a tree of groups and conditions', () => {
    expect(issuesOf({ all: [{ field: 'tags', op: 'exists' }, { not: { any: [{ field: 'email', op: 'in', value: ['a@b.co'] }] } }] })).toEqual([]);
  });

  it('names the node that leaves the shape: an operator that does not exist, a key too many, a group that is no list', () => {
    expect(issuesOf({ all: [{ field: 'tags', op: 'exists' }, { field: 'tags', op: 'near', value: 'x' }] }).map((i) => i.path)).toEqual(['rule.all.1.op']);
    expect(issuesOf({ any: [{ field: 'tags', op: 'exists', because: 'x' }] }).map((i) => i.path)).toEqual(['rule.any.0.because']);
    expect(issuesOf({ all: [{ field: 'tags', op: 'exists' }], any: [] }).map((i) => i.path)).toEqual(['rule']);
    expect(issuesOf({ not: { all: 'x' } }).map((i) => i.path)).toEqual(['rule.not.all']);
    expect(issuesOf({ all: [] }).map((i) => i.path)).toEqual(['rule.all']);
    expect(issuesOf({ field: '', op: 'eq', value: { a: 1 } }).map((i) => i.path)).toEqual(['rule.field', 'rule.value']);
    expect(issuesOf('tags').map((i) => i.path)).toEqual(['rule']);
  });

  it('refuses a 100,000-level rule and unstorable numbers with a 400 issue, never a stack overflow', () => {
    let deep: unknown = { field: 'tags', op: 'exists' };
    for (let i = 0; i < 100_000; i++) deep = { not: deep };
    const issues = issuesOf(deep);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.message).toContain('nested deeper');
    expect(issuesOf({ field: 'attributes.x', op: 'eq', value: 1e-131 }).map((i) => i.path)).toEqual(['rule.value']);
  });
});

describe('createSegment and replaceSegment', () => {
  const now = new Date('2025-06-30T12:00:00.000Z');
  it('check the rule against the field catalog and move the version', () => {
    expect(() => createSegment({ name: 'S', rule: { field: 'nope', op: 'eq', value: 1 } }, 's-1', now)).toThrow(ValidationError);
    const created = createSegment({ name: 'S', rule: { field: 'tags', op: 'exists' } }, 's-1', now);
    expect(created).toEqual({ id: 's-1', name: 'S', description: null, rule: { field: 'tags', op: 'exists' }, createdAt: now.toISOString(), updatedAt: now.toISOString(), version: 1 });
    const later = new Date('2025-07-01T00:00:00.000Z');
    expect(replaceSegment(created, { name: 'T', description: 'd', rule: { field: 'tags', op: 'exists', value: false } }, later)).toMatchObject({
      name: 'T',
      description: 'd',
      version: 2,
      createdAt: now.toISOString(),
      updatedAt: later.toISOString(),
    });
    expect(() => replaceSegment(created, { name: 'T', rule: { field: 'tags', op: 'gt', value: 1 } }, later)).toThrow(ValidationError);
  });
});
