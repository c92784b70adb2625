import * as z from '#domain/shared/zod.ts';

// The case volume forecast's shape on the API (GET /analytics/forecasts/cases).

const Day = z.onFirstUse(() => z.iso.date());

export const ForecastPoint = z.onFirstUse(() => z.object({
  date: Day,
  /** Cases expected to be opened that UTC day (never below 0). */
  expected: z.number(),
  /** The 80% interval's bounds (the lower one never below 0). */
  low: z.number(),
  high: z.number(),
}));

export const CaseForecast = z.onFirstUse(() => z
  .object({
    queue: z.string(),
    days: z.int(),
    /** The first forecast day: today (UTC); the history ends yesterday, the last whole day. */
    from: Day,
    history: z.object({ from: Day, to: Day, days: z.int() }),
    method: z.literal('holt-winters-additive'),
    seasonPeriod: z.literal(7),
    interval: z.literal(0.8),
    /** The smoothing weights fitted to this queue's history (level, trend, season). */
    parameters: z.object({ alpha: z.number(), beta: z.number(), gamma: z.number() }),
    /** The standard deviation of the one-step errors over the history, in cases per day. */
    sigma: z.number(),
    points: z.array(ForecastPoint),
  })
  .register(z.globalRegistry, { id: 'CaseForecast' }));
export type CaseForecast = z.output<typeof CaseForecast>;
