import { CaseForecast } from '#domain/analytics/case-forecast.schema.ts';
import { CaseForecastQuery } from '#functions/analytics/forecasts.http.ts';
import type { ANALYTICS_FORECAST_ROUTES } from '../routes.ts';
import type { RouteSchemas } from '../topology.ts';

type OperationId = (typeof ANALYTICS_FORECAST_ROUTES)[number]['operationId'];

/** The analytics forecasts part's request and response schemas (issue 13). */
export const ANALYTICS_FORECAST_ROUTE_SCHEMAS: Record<OperationId, RouteSchemas> = {
  forecastCaseVolume: {
    summary: "A queue's cases opened per day for the next `days` days from today (additive Holt-Winters, weekly season, 80% interval), from its last 8 weeks of day counters",
    query: CaseForecastQuery,
    responses: {
      200: { description: 'The forecast', schema: CaseForecast },
      422: { description: 'The queue has fewer than 21 whole days of case history (not-enough-history); a queue never used has none' },
    },
  },
};
