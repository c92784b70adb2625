import * as z from '#domain/shared/zod.ts';
import { ValidationError } from '#domain/shared/errors.ts';

// Opaque page cursors: base64url JSON of the last key, bound to the query it came from, so a
// cursor from one listing cannot be replayed against another. A cursor is the caller's input: its
// key is checked against the listing's key shape before it becomes ExclusiveStartKey, because
// DynamoDB answers an empty key value, a key outside the query's partition or sort key prefix, or
// an oversized value with a ValidationException (which would be a 500).

const Envelope = z.onFirstUse(() => z.strictObject({ q: z.string(), k: z.record(z.string(), z.string()) }));

/** DynamoDB's limit for a sort key value (partition keys may be 2048); issued keys are far shorter. */
const MAX_KEY_BYTES = 1024;

/** One key attribute of a listing's items: exactly this value, this prefix and more after it, or anything sorting before this bound. */
export type KeyRule = { readonly is: string } | { readonly startsWith: string } | { readonly below: string };
/** Every key attribute a listing's cursor holds (table key, plus the index key for an index). */
export type CursorKeyShape = Readonly<Record<string, KeyRule>>;

export function encodeCursor(query: string, key: Record<string, string>): string {
  return Buffer.from(JSON.stringify({ q: query, k: key })).toString('base64url');
}

/** The detail of every refusal: a caller learns nothing about which check failed. */
export const NOT_OUR_CURSOR = 'Not a cursor this listing issued.';

/** The key a cursor carries, once it is sure that this listing issued it. */
export function decodeCursor(query: string, cursor: string, shape: CursorKeyShape): Record<string, string> {
  const invalid = () => new ValidationError(NOT_OUR_CURSOR, [{ path: 'cursor', message: 'is not a cursor this listing issued' }]);
  if (!/^[A-Za-z0-9_-]{1,2048}$/.test(cursor)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const result = Envelope.safeParse(parsed);
  if (!result.success || result.data.q !== query) throw invalid();
  const key = result.data.k;
  if (Object.keys(key).sort().join() !== Object.keys(shape).sort().join()) throw invalid();
  for (const [name, rule] of Object.entries(shape)) {
    if (!fits(key[name]!, rule)) throw invalid();
  }
  return key;
}

function fits(value: string, rule: KeyRule): boolean {
  if (value === '' || Buffer.byteLength(value) > MAX_KEY_BYTES) return false;
  if ('is' in rule) return value === rule.is;
  if ('below' in rule) return value < rule.below;
  return value.startsWith(rule.startsWith) && value.length > rule.startsWith.length;
}
