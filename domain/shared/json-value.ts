import * as z from './zod.ts';

// Free-form JSON that ends up in a DynamoDB item (interaction `data`, customer `attributes`) must
// be storable exactly as the caller sent it, or refused with a 400 naming the field. The rules:
//   numbers  JSON.parse turns every number into a double, so beyond +/-(2^53 - 1) integers have
//            already lost precision (9007199254740993 arrives as ...992), and the SDK refuses to
//            marshal them; every double that large is an integer, so this one bound covers both.
//            DynamoDB stores magnitudes from 1e-130 to 1e125 with 38 significant digits: a double
//            prints with at most 17, so only the lower bound can still bite (1e-131 underflows).
//   depth    DynamoDB refuses items nested deeper than 32 levels; a value is held to 30 (the value
//            itself is level 1), which leaves room for the item around it. The walk is iterative,
//            so a 100,000-level body is refused at level 31 instead of overflowing the stack.
//   keys     DynamoDB refuses an empty attribute name at any level of a map.

export const MAX_JSON_DEPTH = 30;
export const MIN_NUMBER_MAGNITUDE = 1e-130;
/** More issues than this would only make a hostile body's answer large. */
const MAX_ISSUES = 10;

export interface JsonValueIssue {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

const NUMBER_MESSAGE = `must be between -${Number.MAX_SAFE_INTEGER} and ${Number.MAX_SAFE_INTEGER} (larger integers lose precision) and 0 or at least ${MIN_NUMBER_MAGNITUDE} in magnitude`;

/** Why a number cannot be stored exactly as sent, or undefined when it can. */
export function numberIssue(n: number): string | undefined {
  if (!Number.isFinite(n) || Math.abs(n) > Number.MAX_SAFE_INTEGER) return NUMBER_MESSAGE;
  if (n !== 0 && Math.abs(n) < MIN_NUMBER_MAGNITUDE) return NUMBER_MESSAGE;
  return undefined;
}

/** Problems of a parsed JSON value, in document order, with paths relative to the value. */
export function jsonValueIssues(value: unknown, maxDepth = MAX_JSON_DEPTH): JsonValueIssue[] {
  const issues: JsonValueIssue[] = [];
  const stack: { value: unknown; path: (string | number)[]; depth: number }[] = [{ value, path: [], depth: 1 }];
  while (stack.length > 0 && issues.length < MAX_ISSUES) {
    const { value: current, path, depth } = stack.pop()!;
    if (typeof current === 'number') {
      const message = numberIssue(current);
      if (message) issues.push({ path, message });
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    if (depth > maxDepth) {
      issues.push({ path, message: `must not be nested deeper than ${maxDepth} levels` });
      continue;
    }
    const entries: [string | number, unknown][] = Array.isArray(current) ? current.map((v, i) => [i, v]) : Object.entries(current);
    if (!Array.isArray(current) && entries.some(([key]) => key === '')) issues.push({ path, message: 'must not have an empty key' });
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i]!;
      if (key !== '') stack.push({ value: child, path: [...path, key], depth: depth + 1 });
    }
  }
  return issues.slice(0, MAX_ISSUES);
}

/** A number DynamoDB stores exactly as sent (see the rules above); the bounds show in the OpenAPI document. */
export const StorableNumber = z.onFirstUse(() => z
  .number()
  .check(
    z.gte(-Number.MAX_SAFE_INTEGER, NUMBER_MESSAGE),
    z.lte(Number.MAX_SAFE_INTEGER, NUMBER_MESSAGE),
    z.refine((n) => numberIssue(n) === undefined, { message: NUMBER_MESSAGE, abort: true }),
  ));

/**
 * Runs `jsonValueIssues` before `schema` sees the value, so zod's recursive JSON schema only ever
 * walks values of bounded depth. The OpenAPI document shows `schema` (a pipe from a transform is
 * documented by its output side).
 */
export function storableJson<S extends z.ZodMiniType>(schema: S, maxDepth = MAX_JSON_DEPTH) {
  return z.pipe(
    z.transform((value: unknown, payload) => {
      for (const issue of jsonValueIssues(value, maxDepth)) {
        payload.issues.push({ code: 'custom', message: issue.message, input: value, path: [...issue.path] });
      }
      return value;
    }),
    schema,
  );
}
