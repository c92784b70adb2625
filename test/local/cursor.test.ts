import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../domain/shared/errors.ts';
import { type CursorKeyShape, decodeCursor, encodeCursor, NOT_OUR_CURSOR } from '../../functions/shared/cursor.ts';

const KEY = { pk: 'CUSTOMER#c-1', sk: 'PROFILE', gsi1pk: 'CUSTOMERS', gsi1sk: '2025-01-15T09:00:00.000Z#c-1' };
/** All customers, newest first: the shape queryPage gives that listing. */
const NAMES: CursorKeyShape = { pk: { startsWith: 'CUSTOMER#' }, sk: { is: 'PROFILE' }, gsi1pk: { is: 'CUSTOMERS' }, gsi1sk: { startsWith: '' } };
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function rejection(run: () => unknown): ValidationError {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected the cursor to be rejected');
}

describe('page cursors', () => {
  it('decode what they encoded for the same listing', () => {
    const cursor = encodeCursor('all', KEY);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor('all', cursor, NAMES)).toEqual(KEY);
  });

  it('accept the key names in any order', () => {
    expect(decodeCursor('all', encodeCursor('all', KEY), Object.fromEntries(Object.entries(NAMES).reverse()))).toEqual(KEY);
  });

  it('are opaque: no key value is readable as plain text in the cursor', () => {
    expect(encodeCursor('all', KEY)).not.toContain('CUSTOMER');
  });

  it.each([
    ['a cursor from another listing', encodeCursor('tag:vip', KEY)],
    ['a cursor with other key names', encodeCursor('all', { pk: 'x', sk: 'y' })],
    ['a cursor with an extra key name', encodeCursor('all', { ...KEY, extra: 'x' })],
    ['characters outside base64url', `${encodeCursor('all', KEY)}==`],
    ['base64 of something that is not JSON', Buffer.from('not json').toString('base64url')],
    ['an envelope with unknown fields', b64({ q: 'all', k: KEY, admin: true })],
    ['key values that are not strings', b64({ q: 'all', k: { ...KEY, pk: 5 } })],
    ['a JSON array', b64([KEY])],
    ['an empty string', ''],
    ['a very long cursor', 'A'.repeat(5000)],
    ...Object.keys(KEY).map((name): [string, string] => [`${name} emptied`, encodeCursor('all', { ...KEY, [name]: '' })]),
    ['a partition key of another listing', encodeCursor('all', { ...KEY, gsi1pk: 'CASES' })],
    ['a table key of another entity', encodeCursor('all', { ...KEY, pk: 'CASE#k-1', sk: 'CASE' })],
    ['a table partition key that is only the prefix', encodeCursor('all', { ...KEY, pk: 'CUSTOMER#' })],
    ['a key value longer than DynamoDB takes', encodeCursor('all', { ...KEY, gsi1sk: '\u20ac'.repeat(400) })],
  ])('reject %s with a ValidationError on path cursor', (_, cursor) => {
    const error = rejection(() => decodeCursor('all', cursor, NAMES));
    expect(error.message).toBe(NOT_OUR_CURSOR);
    expect(error.issues).toEqual([{ path: 'cursor', message: 'is not a cursor this listing issued' }]);
  });

  it('reject a sort key outside the listing\'s prefix', () => {
    const shape: CursorKeyShape = { pk: { is: 'CUSTOMER#c-1' }, sk: { startsWith: 'TL#' } };
    expect(decodeCursor('timeline', encodeCursor('timeline', { pk: 'CUSTOMER#c-1', sk: 'TL#2025#i-1' }), shape)).toEqual({ pk: 'CUSTOMER#c-1', sk: 'TL#2025#i-1' });
    for (const sk of ['PROFILE', 'IDENTITY#email#a@b.co', 'TL#', 'tl#2025#i-1']) {
      expect(rejection(() => decodeCursor('timeline', encodeCursor('timeline', { pk: 'CUSTOMER#c-1', sk }), shape)).issues[0]?.path).toBe('cursor');
    }
  });

  it('reject a tampered cursor: truncated, or with its JSON framing altered', () => {
    const cursor = encodeCursor('all', KEY);
    const flippedFirst = (cursor[0] === 'A' ? 'B' : 'A') + cursor.slice(1);
    for (const tampered of [cursor.slice(0, -3), flippedFirst, cursor.slice(4)]) {
      expect(rejection(() => decodeCursor('all', tampered, NAMES)).issues[0]?.path).toBe('cursor');
    }
  });
});
