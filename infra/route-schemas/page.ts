import * as z from '#domain/shared/zod.ts';

/** `{items, nextCursor}`: every listing's answer. */
export function pageOf<T extends z.ZodMiniType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.nullable(z.string()) });
}
