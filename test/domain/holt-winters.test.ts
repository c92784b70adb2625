import { describe, expect, it } from 'vitest';
import { holtWintersForecast } from '#domain/analytics/holt-winters.ts';

// A deterministic pseudo-random stream (tests may not depend on Math.random's luck).
function noise(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31 - 0.5;
  };
}

const WEEK = [40, 42, 41, 39, 35, 12, 10]; // Monday to Sunday: a helpdesk's week

describe('Holt-Winters daily forecast with a weekly season', () => {
  it('repeats a clean weekly pattern exactly', () => {
    const history = Array.from({ length: 8 * 7 }, (_, i) => WEEK[i % 7]!);
    const forecast = holtWintersForecast(history, 14);
    for (let h = 0; h < 14; h++) expect(forecast.mean[h]).toBeCloseTo(WEEK[(history.length + h) % 7]!, 6);
    expect(forecast.sigma).toBeCloseTo(0, 6);
  });

  it('follows a trend under the season', () => {
    const history = Array.from({ length: 10 * 7 }, (_, i) => WEEK[i % 7]! + 0.5 * i);
    const forecast = holtWintersForecast(history, 7);
    const n = history.length;
    for (let h = 0; h < 7; h++) expect(forecast.mean[h]).toBeCloseTo(WEEK[(n + h) % 7]! + 0.5 * (n + h), 1);
  });

  it('holds about 80% of the next weeks of a noisy series inside its 80% interval, and widens with the horizon', () => {
    const next = noise(7);
    const series = Array.from({ length: 40 * 7 }, (_, i) => WEEK[i % 7]! + 8 * next() + 4 * next());
    let inside = 0;
    let total = 0;
    for (let start = 12 * 7; start + 14 <= series.length; start += 7) {
      const forecast = holtWintersForecast(series.slice(0, start), 14);
      for (let h = 0; h < 14; h++) {
        total++;
        if (series[start + h]! >= forecast.lower[h]! && series[start + h]! <= forecast.upper[h]!) inside++;
      }
      expect(forecast.upper[13]! - forecast.lower[13]!).toBeGreaterThanOrEqual(forecast.upper[0]! - forecast.lower[0]! - 1e-9);
    }
    expect(inside / total).toBeGreaterThan(0.7);
    expect(inside / total).toBeLessThan(0.93);
  });

  it('never forecasts below zero and refuses less than three weeks of history', () => {
    const falling = Array.from({ length: 21 }, (_, i) => Math.max(0, 30 - 2 * i));
    const forecast = holtWintersForecast(falling, 14);
    for (const v of [...forecast.mean, ...forecast.lower]) expect(v).toBeGreaterThanOrEqual(0);
    expect(() => holtWintersForecast([1, 2, 3], 7)).toThrow(RangeError);
  });
});
