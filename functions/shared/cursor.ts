import * as z from '#domain/shared/zod.ts';
import { ValidationError } from '#domain/shared/errors.ts';

// Opaque page cursors: base64url JSON of the last key, bound to the query it came from, so a
// cursor from one listing cannot be replayed against another.

const Envelope = z.strictObject({ q: z.string(), k: z.record(z.string(), z.string().check(z.maxLength(1024))) });

export function encodeCursor(query: string, key: Record<string, string>): string {
  return Buffer.from(JSON.stringify({ q: query, k: key })).toString('base64url');
}

/**
 * `fixed` names key attributes whose value the listing already knows (its partition): a cursor
 * carrying anything else was not issued for it and is refused before it reaches DynamoDB.
 */
export function decodeCursor(
  query: string,
  cursor: string,
  keyNames: readonly string[],
  fixed: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const invalid = () => new ValidationError('The cursor is malformed or belongs to another listing.', [{ path: 'cursor', message: 'is not a cursor this listing issued' }]);
  if (!/^[A-Za-z0-9_-]{1,2048}$/.test(cursor)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const result = Envelope.safeParse(parsed);
  if (!result.success || result.data.q !== query) throw invalid();
  const names = Object.keys(result.data.k).sort();
  if (names.join() !== [...keyNames].sort().join()) throw invalid();
  if (Object.entries(fixed).some(([name, value]) => result.data.k[name] !== value)) throw invalid();
  return result.data.k;
}
