import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../domain/shared/errors.ts';
import { decodeCursor, encodeCursor } from '../../functions/shared/cursor.ts';

const KEY = { pk: 'CUSTOMER#c-1', sk: 'PROFILE', gsi1pk: 'CUSTOMERS', gsi1sk: '2025-01-15T09:00:00.000Z#c-1' };
const NAMES = Object.keys(KEY);
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
    expect(decodeCursor('all', encodeCursor('all', KEY), [...NAMES].reverse())).toEqual(KEY);
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
  ])('reject %s with a ValidationError on path cursor', (_, cursor) => {
    expect(rejection(() => decodeCursor('all', cursor, NAMES)).issues).toEqual([{ path: 'cursor', message: expect.any(String) }]);
  });

  it('reject a tampered cursor: truncated, or with its JSON framing altered', () => {
    const cursor = encodeCursor('all', KEY);
    const flippedFirst = (cursor[0] === 'A' ? 'B' : 'A') + cursor.slice(1);
    for (const tampered of [cursor.slice(0, -3), flippedFirst, cursor.slice(4)]) {
      expect(rejection(() => decodeCursor('all', tampered, NAMES)).issues[0]?.path).toBe('cursor');
    }
  });
});
