import * as z from '#domain/shared/zod.ts';
import { jsonValueIssues } from '#domain/shared/json-value.ts';

// Segments (issue 10): a named rule over what is known of a customer. The shapes here are the HTTP
// contract; which fields exist and which operators fit them is checked in segment-rule.ts.

export const OPERATORS = ['eq', 'ne', 'in', 'contains', 'gt', 'gte', 'lt', 'lte', 'between', 'exists', 'withinLastDays', 'olderThanDays'] as const;
export type Operator = (typeof OPERATORS)[number];

const Scalar = z.onFirstUse(() => z.union([z.string().check(z.maxLength(1000)), z.number(), z.boolean()]));
export const ConditionValue = z.onFirstUse(() => z.union([Scalar, z.array(Scalar).check(z.maxLength(100))]));

export const Condition = z.onFirstUse(() => z
  .strictObject({
    field: z.string().check(z.minLength(1), z.maxLength(200)),
    op: z.enum(OPERATORS),
    value: z.optional(ConditionValue),
  })
  .register(z.globalRegistry, { id: 'SegmentCondition' }));
export type Condition = z.infer<typeof Condition>;

export type Rule = { all: Rule[] } | { any: Rule[] } | { not: Rule } | Condition;

/** A rule tree: `all`, `any`, `not` over conditions. Depth and size limits are checked with the fields. */
export const Rule: z.ZodMiniType<Rule> = z.onFirstUse(() => z
  .union([
    z.strictObject({
      get all() {
        return z.array(Rule).check(z.minLength(1), z.maxLength(50));
      },
    }),
    z.strictObject({
      get any() {
        return z.array(Rule).check(z.minLength(1), z.maxLength(50));
      },
    }),
    z.strictObject({
      get not() {
        return Rule;
      },
    }),
    Condition,
  ])
  .register(z.globalRegistry, { id: 'SegmentRule' }));

type Path = (string | number)[];

/**
 * Where a raw rule leaves the tree's shape, named precisely (`all.1.op`), where the union of
 * Rule alone could only say "invalid input" at the rule. Run only on values of bounded depth.
 */
function ruleShapeIssues(value: unknown, path: Path = []): { path: Path; message: string }[] {
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(value)) return [{ path, message: 'must be an object: {all: [...]}, {any: [...]}, {not: rule} or {field, op, value}' }];
  const keys = Object.keys(value);
  const group = keys.find((k) => k === 'all' || k === 'any' || k === 'not');
  if (group) {
    if (keys.length > 1) return [{ path, message: `takes no other key beside ${group}` }];
    if (group === 'not') return ruleShapeIssues(value.not, [...path, 'not']);
    const list = value[group];
    if (!Array.isArray(list) || list.length < 1 || list.length > 50) return [{ path: [...path, group], message: 'must be a list of 1 to 50 rules' }];
    return list.flatMap((child, i) => ruleShapeIssues(child, [...path, group, i]));
  }
  const issues: { path: Path; message: string }[] = keys
    .filter((k) => k !== 'field' && k !== 'op' && k !== 'value')
    .map((k) => ({ path: [...path, k], message: 'is not a known field' }));
  if (typeof value.field !== 'string' || value.field.length < 1 || value.field.length > 200) issues.push({ path: [...path, 'field'], message: 'must be a field name of 1 to 200 characters' });
  if (!(OPERATORS as readonly unknown[]).includes(value.op)) issues.push({ path: [...path, 'op'], message: `must be one of ${OPERATORS.join(', ')}` });
  if (value.value !== undefined && !ConditionValue.safeParse(value.value).success) {
    issues.push({ path: [...path, 'value'], message: 'must be a string (at most 1000 characters), number or boolean, or a list of at most 100 of them' });
  }
  return issues;
}

/** Depth and numbers are bounded before zod's recursive walk (a 100,000-level body is a 400, not a stack overflow). */
const RuleInput = z.onFirstUse(() => z.pipe(
  z.transform((value: unknown, payload) => {
    const storable = jsonValueIssues(value);
    for (const issue of storable.length ? storable : ruleShapeIssues(value)) {
      payload.issues.push({ code: 'custom', message: issue.message, input: value, path: [...issue.path] });
    }
    return value;
  }),
  Rule,
));

const Name = z.onFirstUse(() => z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(100)));

/** POST /segments and PUT /segments/{id} body. */
export const SegmentInput = z.onFirstUse(() => z
  .strictObject({
    name: Name,
    description: z.optional(z.nullable(z.string().check(z.maxLength(1000)))),
    rule: RuleInput,
  })
  .register(z.globalRegistry, { id: 'SegmentInput' }));
export type SegmentInput = z.output<typeof SegmentInput>;

/** POST /segments/preview body: a rule not saved yet (the editor's live count while it is written). */
export const RulePreviewInput = z.onFirstUse(() => z.strictObject({ rule: RuleInput }).register(z.globalRegistry, { id: 'SegmentRulePreviewInput' }));
export type RulePreviewInput = z.output<typeof RulePreviewInput>;

export const Segment = z.onFirstUse(() => z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.nullable(z.string()),
    rule: Rule,
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    version: z.int().check(z.positive()),
  })
  .register(z.globalRegistry, { id: 'Segment' }));
export type Segment = z.infer<typeof Segment>;

/** A segment member as previews and snapshots show it: enough to recognise the person. */
export const CustomerSummary = z.onFirstUse(() => z
  .object({
    id: z.string(),
    email: z.string(),
    firstName: z.nullable(z.string()),
    lastName: z.nullable(z.string()),
    createdAt: z.iso.datetime(),
  })
  .register(z.globalRegistry, { id: 'CustomerSummary' }));
export type CustomerSummary = z.infer<typeof CustomerSummary>;

export const SegmentPreview = z.onFirstUse(() => z
  .object({ count: z.int(), sample: z.array(CustomerSummary) })
  .register(z.globalRegistry, { id: 'SegmentPreview' }));
export type SegmentPreview = z.infer<typeof SegmentPreview>;

export const SNAPSHOT_STATUSES = ['building', 'ready', 'failed'] as const;

export const Snapshot = z.onFirstUse(() => z
  .object({
    id: z.string(),
    segmentId: z.string(),
    status: z.enum(SNAPSHOT_STATUSES),
    count: z.int(),
    createdAt: z.iso.datetime(),
    completedAt: z.nullable(z.iso.datetime()),
  })
  .register(z.globalRegistry, { id: 'SegmentSnapshot' }));
export type Snapshot = z.infer<typeof Snapshot>;

export const SnapshotMember = z.onFirstUse(() => z.object({ customerId: z.string() }).register(z.globalRegistry, { id: 'SnapshotMember' }));
