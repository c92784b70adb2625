import * as z from '#domain/shared/zod.ts';
import { Stage } from '#domain/sales/opportunity.schema.ts';
import { Cursor, Limit, PathId } from '../shared/query.ts';
import { UserId } from '#domain/sales/ids.schema.ts';

// Query strings of the opportunity routes (the OpenAPI document and the handlers read the same schemas).

/**
 * At most one of stage, owner, account and closingBefore (each is one index Query; the handler
 * refuses two with 400); `partner` reads that partner account's partition and the other filter
 * narrows within it (a partner user's listing is always its own).
 */
export const OpportunityListQuery = z.onFirstUse(() => z.strictObject({
  stage: z.optional(Stage),
  owner: z.optional(UserId),
  account: z.optional(PathId),
  /** Opportunities whose closeDate is before this day (exclusive), soonest first (within a partner's partition: newest first). */
  closingBefore: z.optional(z.iso.date()),
  partner: z.optional(PathId),
  limit: z.optional(Limit),
  cursor: z.optional(Cursor),
}));
