import { ValidationError } from '#domain/shared/errors.ts';
import { decodeCursor, encodeCursor, NOT_OUR_CURSOR } from '../shared/cursor.ts';

// Search pages are positions in a ranking, not table keys: the cursor carries the offset of the
// next page, bound (like every cursor) to the query it came from.

const MAX_OFFSET = 10_000;

export function searchCursorName(query: { q?: string | undefined; locale?: string | undefined; category?: string | undefined }) {
  return `help-search:${JSON.stringify([query.q?.trim() ?? '', query.locale ?? '', query.category ?? ''])}`;
}

export const encodeOffset = (name: string, offset: number) => encodeCursor(name, { o: `O${offset}` });

export function decodeOffset(name: string, cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  const { o } = decodeCursor(name, cursor, { o: { startsWith: 'O' } });
  const offset = /^O\d{1,5}$/.test(o!) ? Number(o!.slice(1)) : Number.NaN;
  if (!(offset <= MAX_OFFSET)) throw new ValidationError(NOT_OUR_CURSOR, [{ path: 'cursor', message: 'is not a cursor this listing issued' }]);
  return offset;
}
