import { type CaseForecastUseCases, caseForecastUseCases, DEFAULT_FORECAST_DAYS } from '#domain/analytics/case-forecast.use-cases.ts';
import type { RouteHandler } from '../shared/http-app.ts';
import type { Db } from '../shared/db.ts';
import { json, queryParams } from '../shared/request.ts';
import { dynamoCaseVolumes } from './case-volumes.dynamodb.ts';
import { CaseForecastQuery } from './forecasts.http.ts';

// The forecasts part of the analytics function (issue 13): the daily case volume forecast of a
// queue (keys: "METHOD /path" of ANALYTICS_FORECAST_ROUTES), from the cases context's day counters.

export interface ForecastPorts {
  readonly forecasts: CaseForecastUseCases;
}

export const forecastPortsFor = (infra: Pick<Db, 'client' | 'tableName' | 'clock'>): ForecastPorts => ({
  forecasts: caseForecastUseCases({ volumes: dynamoCaseVolumes(infra), clock: infra.clock }),
});

type Handler = RouteHandler<ForecastPorts>;

const forecastCaseVolume: Handler = async (request, app) => {
  const { queue, days } = queryParams(request, CaseForecastQuery);
  return json(200, await app.forecasts.forecast(queue, days ?? DEFAULT_FORECAST_DAYS));
};

export const forecastHandlers: Record<string, Handler> = {
  'GET /analytics/forecasts/cases': forecastCaseVolume,
};
