import * as z from '#domain/shared/zod.ts';

// The cube's shapes on the API (GET /reports/cube): the query string, the answer, and the answer
// while Athena is still running the query.

/** An Athena query execution id (a UUID). */
export const CubeQueryId = z.onFirstUse(() => z.string().check(z.regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'must be a queryId from an earlier 202')));

export const CubeQueryParams = z.onFirstUse(() => z.strictObject({
  measure: z.string().check(z.minLength(1), z.maxLength(64)),
  /** Dimensions, comma-separated (default: the measure's). */
  by: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  from: z.iso.date(),
  to: z.iso.date(),
  /** `dim:value` pairs, comma-separated. */
  filter: z.optional(z.string().check(z.minLength(1), z.maxLength(1000))),
  /** The query a 202 named: fetch its result instead of starting the query again. */
  queryId: z.optional(CubeQueryId),
}));
export type CubeQueryParams = z.output<typeof CubeQueryParams>;

export const CUBE_ENGINES = ['duckdb', 'athena'] as const;
export type CubeEngineName = (typeof CUBE_ENGINES)[number];

export const CubeAnswer = z.onFirstUse(() => z
  .object({
    measure: z.string(),
    by: z.array(z.string()),
    from: z.iso.date(),
    to: z.iso.date(),
    filter: z.record(z.string(), z.string()),
    /** One row per combination of the `by` dimensions that has data: the dimensions (strings or null) and the measure's values. */
    rows: z.array(z.record(z.string(), z.nullable(z.union([z.string(), z.number()])))),
    engine: z.enum(CUBE_ENGINES),
    /** Bytes Athena scanned (what the query cost: $5 per TB); absent for DuckDB. */
    scannedBytes: z.optional(z.int()),
  })
  .register(z.globalRegistry, { id: 'CubeAnswer' }));
export type CubeAnswer = z.output<typeof CubeAnswer>;

export const CubeQueryRunning = z.onFirstUse(() => z
  .object({
    status: z.literal('running'),
    queryId: z.string(),
    engine: z.enum(CUBE_ENGINES),
    /** Seconds to wait before asking again (the same request with `queryId`; Location names it). */
    retryAfter: z.int(),
  })
  .register(z.globalRegistry, { id: 'CubeQueryRunning' }));
export type CubeQueryRunning = z.output<typeof CubeQueryRunning>;
