import { UnprocessableError } from '../shared/errors.ts';
import type { Clock } from '../shared/ports.ts';
import type { CaseForecast } from './case-forecast.schema.ts';
import { holtWintersForecast, type Forecast } from './holt-winters.ts';

// The daily case volume forecast of a queue, for staffing. flow: 1. the history is the cases
// opened per UTC day in the queue (the cases context's day counters) over the last 8 weeks up to
// yesterday, the last whole day (today's count is still growing), from the queue's first counted
// day if that is later; a day without a counter opened no case; 2. additive Holt-Winters with a
// weekly season fits it and forecasts from today on, with an 80% interval; volumes cannot be
// negative, so the expected figures and the bounds stop at 0.

/** Port: cases opened per queue and UTC day, as the cases context counts them. */
export interface CaseVolumeSource {
  /** The first UTC day with any counter of the queue (any case event in it), or undefined for a queue never used. */
  firstDay(queue: string): Promise<string | undefined>;
  /** Cases opened in the queue per day from `from` to `to` (both included); days opening none may be missing. */
  openedPerDay(queue: string, from: string, to: string): Promise<ReadonlyMap<string, number>>;
}

/** A week: the season of a desk's volume (weekdays differ from weekends). */
export const SEASON_DAYS = 7;
/** Days of history read at most: 8 weeks, recent enough to follow a desk that changes. */
export const HISTORY_DAYS = 8 * SEASON_DAYS;
/** Three whole weeks: two initialise level, trend and season, the third is the least to fit the weights on. */
export const MIN_HISTORY_DAYS = 3 * SEASON_DAYS;
export const DEFAULT_FORECAST_DAYS = 14;
export const MAX_FORECAST_DAYS = 56;

export class NotEnoughHistoryError extends UnprocessableError {
  override readonly code = 'not-enough-history';
  constructor(queue: string, days: number) {
    super(
      days === 0
        ? `Queue ${queue} has no case history before today; a forecast needs at least ${MIN_HISTORY_DAYS} whole days of it.`
        : `Queue ${queue} has ${days} whole day${days === 1 ? '' : 's'} of case history; a forecast needs at least ${MIN_HISTORY_DAYS}.`,
    );
  }
}

const DAY_MS = 86_400_000;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const addDays = (day: string, n: number) => dayOf(Date.parse(day) + n * DAY_MS);
/** Case counts in hundredths: finer is noise, and it keeps the answer readable. */
const rounded = (v: number) => Math.round(v * 100) / 100;

export interface CaseForecastUseCases {
  forecast(queue: string, days: number): Promise<CaseForecast>;
}

export function caseForecastUseCases(deps: { volumes: CaseVolumeSource; clock: Clock }): CaseForecastUseCases {
  const { volumes, clock } = deps;
  return {
    async forecast(queue, days) {
      const today = dayOf(clock.now().getTime());
      const to = addDays(today, -1);
      const windowStart = addDays(to, -(HISTORY_DAYS - 1));
      const [first, opened] = await Promise.all([volumes.firstDay(queue), volumes.openedPerDay(queue, windowStart, to)]);
      const from = first === undefined || first < windowStart ? windowStart : first;
      const historyDays = first === undefined || first > to ? 0 : Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS) + 1;
      if (historyDays < MIN_HISTORY_DAYS) throw new NotEnoughHistoryError(queue, historyDays);
      const series = Array.from({ length: historyDays }, (_, i) => opened.get(addDays(from, i)) ?? 0);
      const fitted: Forecast = holtWintersForecast(series, days, SEASON_DAYS);
      return {
        queue,
        days,
        from: today,
        history: { from, to, days: historyDays },
        method: 'holt-winters-additive',
        seasonPeriod: SEASON_DAYS,
        interval: 0.8,
        parameters: fitted.parameters,
        sigma: fitted.sigma,
        points: fitted.mean.map((expected, i) => ({ date: addDays(today, i), expected: rounded(expected), low: rounded(fitted.lower[i]!), high: rounded(fitted.upper[i]!) })),
      };
    },
  };
}
