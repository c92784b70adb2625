import * as z from '#domain/shared/zod.ts';
import { Cursor, Limit, PathId } from '../shared/query.ts';
import { UserId } from '#domain/sales/ids.schema.ts';

// Query strings of the activity routes (the OpenAPI document and the handlers read the same schemas).

const Flag = z.onFirstUse(() => z.pipe(z.enum(['true', 'false']), z.transform((v) => v === 'true')));

/**
 * `owner`: one owner's (a salesperson's work list), absent everybody's; `open`: true open ones,
 * false completed ones, absent both. `account`, `opportunity`, `customer`: the activities linked to
 * that record. At most one of owner, account, opportunity and customer, and `open` only with owner
 * or none (each listing is one index Query; the handler refuses the rest with 400).
 */
export const ActivityListQuery = z.onFirstUse(() => z.strictObject({
  owner: z.optional(UserId),
  open: z.optional(Flag),
  account: z.optional(PathId),
  opportunity: z.optional(PathId),
  customer: z.optional(PathId),
  limit: z.optional(Limit),
  cursor: z.optional(Cursor),
}));
