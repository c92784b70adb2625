import type { CustomerScores } from '../analytics/clv-model.schema.ts';
import { RFM_LABELS } from '../analytics/rfm.ts';
import { CONSENT_STATES, type ConsentState } from '../consent/consent.schema.ts';
import { CHANNELS, type Channel } from '../customers/interaction.schema.ts';
import type { Customer } from '../customers/customer.schema.ts';
import { type FieldIssue, ValidationError } from '../shared/errors.ts';
import type { Condition, Operator, Rule } from './segment.schema.ts';

// Which fields a segment rule may name, which operators fit each field's type, what shape of value
// each operator takes, and how a rule is evaluated against what is known of one customer (pure).
//
//   string  email, firstName, lastName, phone, locale, timezone, country, stats.lastChannel
//           eq ne in contains exists                    (contains: substring, case-insensitive)
//   number  stats.interactions.total, stats.interactions.<channel>, stats.purchases,
//           stats.spent.<CUR>, cases.open, cases.openUrgent, cases.breachedLast30Days,
//           scores.pAlive, scores.clv.months12, scores.churnRisk
//           eq ne in gt gte lt lte between exists
//   label   scores.rfm.label                             eq in exists (values: the RFM labels of rfm.ts)
//   id      scores.cluster                               eq in exists (values: cluster ids, whole numbers from 0)
//   time    createdAt, stats.lastInteractionAt
//           gt gte lt lte between withinLastDays olderThanDays exists
//   list    tags                                         contains (has the tag) in (has any of) exists (has any tag)
//   state   consent.<topicId>                            eq ne in exists (exists: anything but none)
//   any     attributes.<name>                            every operator; the stored value's type decides at evaluation
//
// `country` is `attributes.country` when the profile has one, else the region of `locale`
// (en-GB -> GB); compared upper-cased. A field the profile lacks matches only `ne` (ne is always
// the negation of eq) and `exists: false`. The scores.* fields are the customer's analytics scores
// (CUSTOMER#<id>/SCORES): a customer without scores (no purchase in the models' currency, no fit
// yet) or without a cluster matches no comparison on them, not even `ne`: only `exists: false`.

export const MAX_RULE_DEPTH = 8;
export const MAX_CONDITIONS = 100;
export const MAX_DAYS = 36_500;

type FieldType = 'string' | 'number' | 'time' | 'list' | 'state' | 'label' | 'id' | 'any';

const OPS: Record<FieldType, readonly Operator[]> = {
  string: ['eq', 'ne', 'in', 'contains', 'exists'],
  number: ['eq', 'ne', 'in', 'gt', 'gte', 'lt', 'lte', 'between', 'exists'],
  time: ['gt', 'gte', 'lt', 'lte', 'between', 'withinLastDays', 'olderThanDays', 'exists'],
  list: ['contains', 'in', 'exists'],
  state: ['eq', 'ne', 'in', 'exists'],
  label: ['eq', 'in', 'exists'],
  id: ['eq', 'in', 'exists'],
  any: ['eq', 'ne', 'in', 'contains', 'gt', 'gte', 'lt', 'lte', 'between', 'exists', 'withinLastDays', 'olderThanDays'],
};

const STRING_FIELDS = ['email', 'firstName', 'lastName', 'phone', 'locale', 'timezone', 'country', 'stats.lastChannel'] as const;
const CASE_FIELDS = ['cases.open', 'cases.openUrgent', 'cases.breachedLast30Days'] as const;
const SCORE_NUMBER_FIELDS = ['scores.pAlive', 'scores.clv.months12', 'scores.churnRisk'] as const;

/** What a field is, once its name is understood. */
type FieldRef =
  | { type: 'string'; name: (typeof STRING_FIELDS)[number] }
  | { type: 'number'; name: 'interactions' | 'purchases' | (typeof CASE_FIELDS)[number] | (typeof SCORE_NUMBER_FIELDS)[number] }
  | { type: 'label'; name: 'scores.rfm.label' }
  | { type: 'id'; name: 'scores.cluster' }
  | { type: 'number'; name: 'channel'; channel: Channel }
  | { type: 'number'; name: 'spent'; currency: string }
  | { type: 'time'; name: 'createdAt' | 'stats.lastInteractionAt' }
  | { type: 'list'; name: 'tags' }
  | { type: 'state'; name: 'consent'; topic: string }
  | { type: 'any'; name: 'attribute'; attribute: string };

const TOPIC_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const CURRENCY = /^[A-Z]{3}$/;

/** The field a condition names, or undefined when no such field exists. */
export function fieldOf(field: string): FieldRef | undefined {
  if ((STRING_FIELDS as readonly string[]).includes(field)) return { type: 'string', name: field as (typeof STRING_FIELDS)[number] };
  if ((CASE_FIELDS as readonly string[]).includes(field)) return { type: 'number', name: field as (typeof CASE_FIELDS)[number] };
  if ((SCORE_NUMBER_FIELDS as readonly string[]).includes(field)) return { type: 'number', name: field as (typeof SCORE_NUMBER_FIELDS)[number] };
  if (field === 'scores.rfm.label') return { type: 'label', name: field };
  if (field === 'scores.cluster') return { type: 'id', name: field };
  if (field === 'createdAt' || field === 'stats.lastInteractionAt') return { type: 'time', name: field };
  if (field === 'tags') return { type: 'list', name: 'tags' };
  if (field === 'stats.interactions.total') return { type: 'number', name: 'interactions' };
  if (field === 'stats.purchases') return { type: 'number', name: 'purchases' };
  const [head, ...rest] = field.split('.');
  const tail = rest.join('.');
  if (head === 'attributes' && tail.length >= 1 && tail.length <= 64) return { type: 'any', name: 'attribute', attribute: tail };
  if (head === 'consent' && TOPIC_ID.test(tail)) return { type: 'state', name: 'consent', topic: tail };
  if (field.startsWith('stats.interactions.') && (CHANNELS as readonly string[]).includes(field.slice('stats.interactions.'.length))) {
    return { type: 'number', name: 'channel', channel: field.slice('stats.interactions.'.length) as Channel };
  }
  if (field.startsWith('stats.spent.') && CURRENCY.test(field.slice('stats.spent.'.length))) {
    return { type: 'number', name: 'spent', currency: field.slice('stats.spent.'.length) };
  }
  return undefined;
}

type Scalar = string | number | boolean;
const isIsoTime = (v: unknown): v is string => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v) && !Number.isNaN(Date.parse(v));

/** Why `value` does not fit one side of `type` (undefined when it does). */
function scalarIssue(type: FieldType, value: Scalar | readonly Scalar[] | undefined): string | undefined {
  if (value === undefined) return 'is required';
  if (Array.isArray(value)) return 'must be a single value, not a list';
  switch (type) {
    case 'string':
    case 'list':
      return typeof value === 'string' ? undefined : 'must be a string';
    case 'number':
      return typeof value === 'number' ? undefined : 'must be a number';
    case 'time':
      return isIsoTime(value) ? undefined : 'must be an ISO 8601 date-time such as 2025-01-31T00:00:00Z';
    case 'state':
      return (CONSENT_STATES as readonly unknown[]).includes(value) ? undefined : `must be one of ${CONSENT_STATES.join(', ')}`;
    case 'label':
      return (RFM_LABELS as readonly unknown[]).includes(value) ? undefined : `must be one of ${RFM_LABELS.join(', ')}, not ${JSON.stringify(value)}`;
    case 'id':
      return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? undefined : `must be a cluster id (a whole number from 0), not ${JSON.stringify(value)}`;
    case 'any':
      return undefined;
  }
}

/** Issues of one condition's op and value, with paths relative to the condition. */
function conditionIssues(condition: Condition): FieldIssue[] {
  const field = fieldOf(condition.field);
  if (!field) return [{ path: 'field', message: `is not a field a segment can use: ${condition.field}` }];
  const { op, value } = condition;
  if (!OPS[field.type].includes(op)) {
    return [{ path: 'op', message: `${op} does not fit ${condition.field} (${field.type}); use one of ${OPS[field.type].join(', ')}` }];
  }
  const issue = (message: string): FieldIssue[] => [{ path: 'value', message }];
  const list = Array.isArray(value) ? (value as readonly Scalar[]) : undefined;
  switch (op) {
    case 'exists':
      return value === undefined || typeof value === 'boolean' ? [] : issue('must be true, false or left out');
    case 'withinLastDays':
    case 'olderThanDays':
      return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_DAYS ? [] : issue(`must be a whole number of days from 1 to ${MAX_DAYS}`);
    case 'in': {
      if (!list || list.length === 0) return issue('must be a non-empty list');
      // `in` on a list field (tags) takes tag names, like contains.
      const found = list.map((v, i) => [i, scalarIssue(field.type, v)] as const).find(([, m]) => m);
      return found ? [{ path: `value.${found[0]}`, message: found[1]! }] : [];
    }
    case 'between': {
      if (!list || list.length !== 2) return issue('must be a list of two values: [low, high]');
      const [low, high] = list as [Scalar, Scalar];
      if (field.type === 'any') {
        if (typeof low !== typeof high || typeof low === 'boolean') return issue('must be two numbers or two strings');
      } else {
        const message = scalarIssue(field.type, low) ?? scalarIssue(field.type, high);
        if (message) return issue(`must be [low, high]: each ${message.replace(/^must be /, '')}`);
      }
      const lowKey = field.type === 'time' ? Date.parse(String(low)) : low;
      const highKey = field.type === 'time' ? Date.parse(String(high)) : high;
      return lowKey <= highKey ? [] : issue('must be [low, high] with low <= high');
    }
    case 'contains':
      return typeof value === 'string' ? [] : issue('must be a string');
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      if (field.type === 'any') return typeof value === 'number' || typeof value === 'string' ? [] : issue('must be a number or a string');
      return scalarIssues(field.type, value, issue);
    default:
      return scalarIssues(field.type, value, issue);
  }
}

function scalarIssues(type: FieldType, value: Scalar | readonly Scalar[] | undefined, issue: (message: string) => FieldIssue[]): FieldIssue[] {
  const message = scalarIssue(type, value);
  return message ? issue(message) : [];
}

/** Every problem of a rule, with paths from `at` (`rule.all.0.op`); empty when the rule is usable. */
export function ruleIssues(rule: Rule, at = 'rule'): FieldIssue[] {
  const issues: FieldIssue[] = [];
  let conditions = 0;
  const walk = (node: Rule, path: string, depth: number) => {
    if ('all' in node || 'any' in node || 'not' in node) {
      if (depth >= MAX_RULE_DEPTH) {
        issues.push({ path, message: `nests all/any/not deeper than ${MAX_RULE_DEPTH} levels` });
        return;
      }
      if ('all' in node) node.all.forEach((child, i) => walk(child, `${path}.all.${i}`, depth + 1));
      else if ('any' in node) node.any.forEach((child, i) => walk(child, `${path}.any.${i}`, depth + 1));
      else walk(node.not, `${path}.not`, depth + 1);
      return;
    }
    conditions++;
    for (const issue of conditionIssues(node)) issues.push({ path: `${path}.${issue.path}`, message: issue.message });
  };
  walk(rule, at, 0);
  if (conditions > MAX_CONDITIONS) issues.unshift({ path: at, message: `has ${conditions} conditions; at most ${MAX_CONDITIONS}` });
  return issues.slice(0, 20);
}

/** Throws a ValidationError (400) naming each problem when the rule cannot be used. */
export function assertUsableRule(rule: Rule, at = 'rule'): void {
  const issues = ruleIssues(rule, at);
  if (issues.length > 0) throw new ValidationError('The rule is not usable.', issues);
}

/** What besides the profile a rule needs to be evaluated: so loaders read only that. */
export interface RuleNeeds {
  readonly consentTopics: readonly string[];
  readonly cases: boolean;
  /** The rule names scores.*: the customer's SCORES item is read with the profile. */
  readonly scores: boolean;
}

export function ruleNeeds(rule: Rule): RuleNeeds {
  const topics = new Set<string>();
  let cases = false;
  let scores = false;
  const walk = (node: Rule) => {
    if ('all' in node) node.all.forEach(walk);
    else if ('any' in node) node.any.forEach(walk);
    else if ('not' in node) walk(node.not);
    else {
      const field = fieldOf(node.field);
      if (field?.type === 'state') topics.add(field.topic);
      if (node.field.startsWith('cases.')) cases = true;
      if (node.field.startsWith('scores.')) scores = true;
    }
  };
  walk(rule);
  return { consentTopics: [...topics].sort(), cases, scores };
}

export interface CaseFacts {
  readonly open: number;
  readonly openUrgent: number;
  readonly breachedLast30Days: number;
}

export const NO_CASES: CaseFacts = { open: 0, openUrgent: 0, breachedLast30Days: 0 };

/** The analytics scores a segment can select on. */
export type ScoreFacts = Pick<CustomerScores, 'pAlive' | 'clv' | 'churnRisk' | 'rfm' | 'cluster'>;

/** What a rule is evaluated against: the profile, and the consent states, case counts and scores it names. */
export interface CustomerFacts {
  readonly profile: Pick<Customer, 'id' | 'email' | 'firstName' | 'lastName' | 'phone' | 'locale' | 'timezone' | 'attributes' | 'tags' | 'stats' | 'createdAt'>;
  /** States of the topics the rule names; a topic missing here is `none`. */
  readonly consent: Readonly<Record<string, ConsentState>>;
  /** Present when the rule names cases.*; absent reads as no cases. */
  readonly cases?: CaseFacts;
  /** Present when the rule names scores.* and the customer has scores. */
  readonly scores?: ScoreFacts;
}

const DAY_MS = 24 * 3600 * 1000;

/** A case counts as open until it is solved or closed; breached when an SLA breach happened in the last 30 days. */
export function caseFacts(
  cases: readonly { status: string; priority: string; sla: { breaches: readonly { at: string }[] } }[],
  now: Date,
): CaseFacts {
  const since = now.getTime() - 30 * DAY_MS;
  const open = cases.filter((c) => c.status !== 'solved' && c.status !== 'closed');
  return {
    open: open.length,
    openUrgent: open.filter((c) => c.priority === 'urgent').length,
    breachedLast30Days: cases.filter((c) => c.sla.breaches.some((b) => Date.parse(b.at) >= since)).length,
  };
}

function countryOf(profile: CustomerFacts['profile']): string | undefined {
  const attribute = profile.attributes.country;
  if (typeof attribute === 'string' && attribute !== '') return attribute.toUpperCase();
  if (!profile.locale) return undefined;
  try {
    return new Intl.Locale(profile.locale).region?.toUpperCase();
  } catch {
    return undefined;
  }
}

type Value = string | number | boolean | readonly string[] | undefined;

function valueOf(field: FieldRef, facts: CustomerFacts): Value {
  const { profile } = facts;
  switch (field.name) {
    case 'country':
      return countryOf(profile);
    case 'stats.lastChannel':
      return profile.stats.lastChannel ?? undefined;
    case 'email':
    case 'firstName':
    case 'lastName':
    case 'phone':
    case 'locale':
    case 'timezone':
      return profile[field.name] || undefined;
    case 'interactions':
      return profile.stats.interactionCount;
    case 'purchases':
      return profile.stats.purchaseCount;
    case 'channel':
      return profile.stats.byChannel[field.channel] ?? 0;
    case 'spent':
      return profile.stats.totalSpent[field.currency] ?? 0;
    case 'cases.open':
      return (facts.cases ?? NO_CASES).open;
    case 'cases.openUrgent':
      return (facts.cases ?? NO_CASES).openUrgent;
    case 'cases.breachedLast30Days':
      return (facts.cases ?? NO_CASES).breachedLast30Days;
    case 'createdAt':
      return profile.createdAt;
    case 'stats.lastInteractionAt':
      return profile.stats.lastInteractionAt ?? undefined;
    case 'tags':
      return profile.tags;
    case 'consent':
      return facts.consent[field.topic] ?? 'none';
    case 'attribute':
      return profile.attributes[field.attribute];
    case 'scores.pAlive':
      return facts.scores?.pAlive;
    case 'scores.clv.months12':
      return facts.scores?.clv.months12;
    case 'scores.churnRisk':
      return facts.scores?.churnRisk;
    case 'scores.rfm.label':
      return facts.scores?.rfm.label;
    case 'scores.cluster':
      return facts.scores?.cluster ?? undefined;
  }
}

/** Orders two values of one kind (times by instant); undefined when they cannot be compared. */
function compare(type: FieldType, a: Scalar, b: Scalar): number | undefined {
  if (type === 'time' || (type === 'any' && typeof b === 'string' && isIsoTime(a) && isIsoTime(b))) return Date.parse(String(a)) - Date.parse(String(b));
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return undefined;
}

function normalise(field: FieldRef, v: Scalar): Scalar {
  return field.name === 'country' && typeof v === 'string' ? v.toUpperCase() : v;
}

function conditionMatches(condition: Condition, facts: CustomerFacts, now: Date): boolean {
  const field = fieldOf(condition.field);
  if (!field) return false;
  const actual = valueOf(field, facts);
  const { op } = condition;
  const value = condition.value;
  const present = actual !== undefined && actual !== '' && !(Array.isArray(actual) && actual.length === 0) && actual !== 'none';
  if (op === 'exists') return present === (value ?? true);
  // Without scores there is nothing to compare: no comparison matches (ne included).
  if (actual === undefined && condition.field.startsWith('scores.')) return false;
  if (op === 'ne') return !conditionMatches({ ...condition, op: 'eq' }, facts, now);
  if (actual === undefined) return false;
  if (Array.isArray(actual)) {
    // tags: contains one tag, or in: any of the listed tags
    const wanted = op === 'in' && Array.isArray(value) ? (value as Scalar[]) : [value as Scalar];
    return wanted.some((w) => typeof w === 'string' && actual.includes(w));
  }
  const got = normalise(field, actual as Scalar);
  const type = field.type;
  switch (op) {
    case 'eq':
      return !Array.isArray(value) && got === normalise(field, value as Scalar);
    case 'in':
      return Array.isArray(value) && (value as Scalar[]).some((v) => got === normalise(field, v));
    case 'contains':
      return typeof got === 'string' && typeof value === 'string' && got.toLowerCase().includes(value.toLowerCase());
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const order = compare(type, got, value as Scalar);
      if (order === undefined || Number.isNaN(order)) return false;
      return op === 'gt' ? order > 0 : op === 'gte' ? order >= 0 : op === 'lt' ? order < 0 : order <= 0;
    }
    case 'between': {
      const [low, high] = value as [Scalar, Scalar];
      const fromLow = compare(type, got, low);
      const toHigh = compare(type, got, high);
      return fromLow !== undefined && toHigh !== undefined && fromLow >= 0 && toHigh <= 0;
    }
    case 'withinLastDays':
    case 'olderThanDays': {
      if (!isIsoTime(got)) return false;
      const age = now.getTime() - Date.parse(got);
      const days = Number(value) * DAY_MS;
      return op === 'withinLastDays' ? age >= 0 && age <= days : age > days;
    }
  }
}

/** Whether the customer the facts describe is in the rule's segment at `now` (the rule was checked). */
export function matches(rule: Rule, facts: CustomerFacts, now: Date): boolean {
  if ('all' in rule) return rule.all.every((r) => matches(r, facts, now));
  if ('any' in rule) return rule.any.some((r) => matches(r, facts, now));
  if ('not' in rule) return !matches(rule.not, facts, now);
  return conditionMatches(rule, facts, now);
}
