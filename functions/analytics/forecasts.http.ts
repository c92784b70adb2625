import * as z from '#domain/shared/zod.ts';
import { QueueName } from '#domain/cases/case.schema.ts';
import { DEFAULT_FORECAST_DAYS, MAX_FORECAST_DAYS } from '#domain/analytics/case-forecast.use-cases.ts';
import { wholeNumber } from '../shared/query.ts';

// Query string of GET /analytics/forecasts/cases (the OpenAPI document and the handler read the same schema).

/** queue: required (staffing is per queue); days: 1-56 forecast days from today, 14 when absent. */
export const CaseForecastQuery = z.onFirstUse(() => z.strictObject({
  queue: QueueName,
  days: z.optional(wholeNumber(MAX_FORECAST_DAYS, DEFAULT_FORECAST_DAYS)),
}));
