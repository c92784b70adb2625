import * as z from '#domain/shared/zod.ts';

export const MAX_PAGE_SIZE = 100;

/** How OpenAPI declares each whole-number query parameter on the wire: the bounds and default its handler applies. */
export const WIRE_INTEGERS = new Map<z.core.$ZodType, { readonly minimum: 1; readonly maximum: number; readonly default: number }>();

/** A query-string whole number from 1 to `max` (query strings are text; anything else is a 400); absent, the handler takes `fallback`. */
export function wholeNumber(max: number, fallback: number) {
  // The stand-in (z.onFirstUse) is what other schemas hold, so it is what the OpenAPI document meets.
  const schema = z.onFirstUse(() =>
    z.pipe(
      z.pipe(z.string().check(z.regex(new RegExp(`^\\d{1,${String(max).length}}$`), `must be a whole number from 1 to ${max}`)), z.transform(Number)),
      z.int().check(z.gte(1, 'must be at least 1'), z.lte(max, `must be at most ${max}`)),
    ),
  );
  WIRE_INTEGERS.set(schema, { minimum: 1, maximum: max, default: fallback });
  return schema;
}

export const DEFAULT_PAGE_SIZE = 25;

/** `?limit=`: a whole number 1-100. */
export const Limit = wholeNumber(MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE);

export const Cursor = z.onFirstUse(() => z.string().check(z.minLength(1)));


/** Path ids are opaque; anything that cannot be an id we issued is simply not found. */
export const PathId = z.onFirstUse(() => z.string().check(z.regex(/^[A-Za-z0-9_-]{1,128}$/)));
