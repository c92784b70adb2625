import { minimise } from './nelder-mead.ts';

// Daily volume forecasts with a weekly season: additive Holt-Winters (level, trend, 7 seasonal
// terms), its smoothing weights fitted by least squares over one-step errors, and prediction
// intervals from the model's h-step error variance (Hyndman et al., "Forecasting with Exponential
// Smoothing", 2008, class 1 models: var_h = σ² (1 + Σ_{j<h} (α + αβj + γ·[j mod m = 0])²)).
//
// Hand-written because npm has no maintained exponential-smoothing package; the method is short,
// and its one non-trivial step (the fit) reuses the Nelder-Mead minimiser of the value models.

export interface Forecast {
  /** One point per day ahead. */
  readonly mean: number[];
  readonly lower: number[];
  readonly upper: number[];
  readonly parameters: { readonly alpha: number; readonly beta: number; readonly gamma: number };
  /** The standard deviation of the one-step errors over the history. */
  readonly sigma: number;
}

/** z of the two-sided 80% interval (the 90th percentile of the standard normal). */
export const Z_80 = 1.2815515655446004;

const logistic = (x: number) => 1 / (1 + Math.exp(-x));

interface Smoothed {
  readonly sse: number;
  readonly n: number;
  readonly level: number;
  readonly trend: number;
  /** seasonal[i] is the term of the day i days after the last observation's season position. */
  readonly seasonal: number[];
}

/** Runs the recursions over the history: the first season initialises level and season, the first two the trend; errors count from the second on. */
function smooth(y: readonly number[], m: number, alpha: number, beta: number, gamma: number): Smoothed {
  const first = y.slice(0, m);
  const second = y.slice(m, 2 * m);
  const mean1 = first.reduce((s, v) => s + v, 0) / m;
  const mean2 = second.reduce((s, v) => s + v, 0) / m;
  let level = mean1;
  let trend = (mean2 - mean1) / m;
  const season = first.map((v) => v - mean1);
  let sse = 0;
  let n = 0;
  for (let t = m; t < y.length; t++) {
    const s = season[t % m]!;
    const predicted = level + trend + s;
    const error = y[t]! - predicted;
    sse += error * error;
    n++;
    const previousLevel = level;
    level = previousLevel + trend + alpha * error;
    trend = trend + alpha * beta * error;
    season[t % m] = s + gamma * error;
  }
  const next = y.length;
  return { sse, n, level, trend, seasonal: Array.from({ length: m }, (_, i) => season[(next + i) % m]!) };
}

/**
 * Forecasts `days` ahead from a daily series with a season of `m` days (7: weekdays). Needs at
 * least three seasons of history; counts never go below 0, so neither do the figures.
 */
export function holtWintersForecast(history: readonly number[], days: number, m = 7): Forecast {
  if (history.length < 3 * m) throw new RangeError(`A forecast needs at least ${3 * m} days of history.`);
  // Weights live in (0, 1): searched through the logistic; γ ≤ 1 - α keeps the model stable.
  const weights = ([a, b, g]: readonly number[]) => {
    const alpha = logistic(a!);
    return { alpha, beta: logistic(b!), gamma: logistic(g!) * (1 - alpha) };
  };
  const found = minimise((x) => {
    const { alpha, beta, gamma } = weights(x);
    return smooth(history, m, alpha, beta, gamma).sse;
  }, [0, -2, -2]);
  const { alpha, beta, gamma } = weights(found.point);
  const state = smooth(history, m, alpha, beta, gamma);
  const sigma = Math.sqrt(state.sse / Math.max(1, state.n));
  const mean: number[] = [];
  const lower: number[] = [];
  const upper: number[] = [];
  let variance = 0;
  for (let h = 1; h <= days; h++) {
    const j = h - 1;
    if (j > 0) variance += (alpha + alpha * beta * j + (j % m === 0 ? gamma : 0)) ** 2;
    const point = state.level + h * state.trend + state.seasonal[(h - 1) % m]!;
    const spread = Z_80 * sigma * Math.sqrt(1 + variance);
    mean.push(Math.max(0, point));
    lower.push(Math.max(0, point - spread));
    upper.push(Math.max(0, point + spread));
  }
  return { mean, lower, upper, parameters: { alpha, beta, gamma }, sigma };
}
