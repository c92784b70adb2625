import type { components } from '../../../../clients/typescript/ecrm-api.ts';

// Pure helpers of the segment editor: a flat list of conditions joined by "all" or "any" (the API
// takes deeper trees; the editor keeps to the common case) -> the API's rule, and back.

type Schemas = components['schemas'];
export type Operator = Schemas['SegmentCondition']['op'];
export type ConditionValue = NonNullable<Schemas['SegmentCondition']['value']>;
export type SegmentRule = Schemas['SegmentRule'];

/** The API's operators; `satisfies` makes a contract change a compile error here. */
export const OPERATORS = ['eq', 'ne', 'in', 'contains', 'gt', 'gte', 'lt', 'lte', 'between', 'exists', 'withinLastDays', 'olderThanDays'] as const satisfies readonly Operator[];

export const OPERATOR_LABELS: Record<Operator, string> = {
  eq: 'is',
  ne: 'is not',
  in: 'is one of',
  contains: 'contains',
  gt: 'greater than',
  gte: 'at least',
  lt: 'less than',
  lte: 'at most',
  between: 'between',
  exists: 'is set',
  withinLastDays: 'within the last (days)',
  olderThanDays: 'older than (days)',
};

/** Suggestions for the field input (the API names the full list in the README); any field may be typed. */
export const FIELD_SUGGESTIONS = [
  'email', 'firstName', 'lastName', 'phone', 'locale', 'timezone', 'country', 'tags', 'createdAt',
  'stats.lastChannel', 'stats.lastInteractionAt', 'stats.interactions.total', 'stats.purchases',
  'cases.open', 'cases.openUrgent', 'cases.breachedLast30Days', 'scores.churnRisk', 'scores.rfm.label',
] as const;

/** Fields whose values are words even when they look like numbers (a phone number, a tag `2024`). */
const WORD_FIELDS = /^(email|firstName|lastName|phone|locale|timezone|country|tags|stats\.lastChannel|scores\.rfm\.label|consent\..+)$/;

export interface ConditionDraft {
  field: string;
  op: Operator;
  /** As typed: lists separated by commas (`in`, `between`); `exists` takes true, false or nothing. */
  value: string;
}

export interface RuleDraft {
  join: 'all' | 'any';
  conditions: ConditionDraft[];
}

function scalar(field: string, text: string): string | number | boolean {
  const t = text.trim();
  if (!WORD_FIELDS.test(field) && t !== '' && Number.isFinite(Number(t))) return Number(t);
  return t;
}

/** One condition as the API takes it. */
export function conditionOf(draft: ConditionDraft): Schemas['SegmentCondition'] {
  const field = draft.field.trim();
  const text = draft.value.trim();
  if (draft.op === 'exists') {
    if (text === '') return { field, op: 'exists' };
    return { field, op: 'exists', value: text === 'true' ? true : text === 'false' ? false : text };
  }
  if (draft.op === 'in' || draft.op === 'between') {
    return { field, op: draft.op, value: text.split(',').map((piece) => scalar(field, piece)).filter((v) => v !== '') };
  }
  return { field, op: draft.op, value: scalar(field, text) };
}

export function ruleOf(draft: RuleDraft): SegmentRule {
  const conditions = draft.conditions.map(conditionOf);
  return draft.join === 'all' ? { all: conditions } : { any: conditions };
}

const isCondition = (rule: SegmentRule): rule is Schemas['SegmentCondition'] => 'field' in rule;

/** A stored rule back to the editor's draft, when it is a flat all/any of conditions (else null: shown as JSON). */
export function draftOf(rule: SegmentRule): RuleDraft | null {
  const text = (value: ConditionValue | undefined) => (value === undefined ? '' : Array.isArray(value) ? value.join(', ') : String(value));
  const flat = (join: 'all' | 'any', list: SegmentRule[]): RuleDraft | null =>
    list.every(isCondition) ? { join, conditions: list.map((c) => ({ field: c.field, op: c.op, value: text(c.value) })) } : null;
  if (isCondition(rule)) return flat('all', [rule]);
  if ('all' in rule) return flat('all', rule.all);
  if ('any' in rule) return flat('any', rule.any);
  return null;
}

/**
 * The editor's error of a condition from an API or schema path: `rule.all.1.op` -> `conditions.1.op`
 * (`conditions.1` when it names the condition itself); other paths stay.
 */
export function fieldOfPath(path: string): string {
  const parts = path.replace(/^\//, '').split(/[./]/).filter(Boolean);
  if (parts[0] === 'rule' && (parts[1] === 'all' || parts[1] === 'any') && parts[2] !== undefined) {
    const key = parts[3];
    return key === 'field' || key === 'op' || key === 'value' ? `conditions.${parts[2]}.${key}` : `conditions.${parts[2]}`;
  }
  return parts[0] ?? 'form';
}
