import * as z from '#domain/shared/zod.ts';

export const MAX_PAGE_SIZE = 100;

/** `?limit=`: a whole number 1-100 (query strings are text; anything else is a 400). */
export const Limit = z.pipe(
  z.pipe(z.string().check(z.regex(/^\d{1,3}$/, `must be a whole number from 1 to ${MAX_PAGE_SIZE}`)), z.transform(Number)),
  z.int().check(z.gte(1, 'must be at least 1'), z.lte(MAX_PAGE_SIZE, `must be at most ${MAX_PAGE_SIZE}`)),
);

export const Cursor = z.string().check(z.minLength(1));

export const DEFAULT_PAGE_SIZE = 25;

/** Path ids are opaque; anything that cannot be an id we issued is simply not found. */
export const PathId = z.string().check(z.regex(/^[A-Za-z0-9_-]{1,128}$/));
