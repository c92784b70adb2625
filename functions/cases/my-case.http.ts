import * as z from '#domain/shared/zod.ts';
import { CaseStatus } from '#domain/cases/case.schema.ts';
import { Cursor, Limit } from '../shared/query.ts';

/** GET /me/cases: the customer's cases, newest first. */
export const MyCaseListQuery = z.strictObject({ limit: z.optional(Limit), cursor: z.optional(Cursor), status: z.optional(CaseStatus) });
