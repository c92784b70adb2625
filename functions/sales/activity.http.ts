import * as z from '#domain/shared/zod.ts';
import { Cursor, Limit } from '../shared/query.ts';

// Query strings of the activity routes (the OpenAPI document and the handlers read the same schemas).

const Flag = z.pipe(z.enum(['true', 'false']), z.transform((v) => v === 'true'));

/** `owner`: one owner's (a salesperson's work list), absent everybody's; `open`: true open ones, false completed ones, absent both. */
export const ActivityListQuery = z.strictObject({
  owner: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
  open: z.optional(Flag),
  limit: z.optional(Limit),
  cursor: z.optional(Cursor),
});
