import * as z from '#domain/shared/zod.ts';
import { Cursor, Limit } from '../shared/query.ts';

/** GET /erasure-requests: pending first-come first-served (soonest run first). */
export const ErasureRequestQuery = z.strictObject({ limit: z.optional(Limit), cursor: z.optional(Cursor) });
