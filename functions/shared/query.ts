import * as z from 'zod';

/** `?limit=`: a whole number 1-100 (query strings are text; anything else is a 400). */
export const Limit = z
  .string()
  .regex(/^\d{1,3}$/, 'must be a whole number from 1 to 100')
  .transform(Number)
  .pipe(z.number().int().min(1, 'must be at least 1').max(100, 'must be at most 100'));

export const Cursor = z.string().min(1);

export const DEFAULT_PAGE_SIZE = 25;

/** Path ids are opaque; anything that cannot be an id we issued is simply not found. */
export const PathId = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/);
