import * as z from '#domain/shared/zod.ts';
import { Month } from '#domain/sales/pipeline-report.ts';
import { PathId } from '../shared/query.ts';
import { UserId } from '#domain/sales/ids.schema.ts';

// Query string of GET /reports/pipeline (the OpenAPI document and the handler read the same schema).

/** from..to (YYYY-MM, at most 24 months; from defaults to this month, to to a year from from); owner: one owner's figures. */
export const PipelineReportQuery = z.onFirstUse(() => z.strictObject({
  from: z.optional(Month),
  to: z.optional(Month),
  owner: z.optional(UserId),
}));
