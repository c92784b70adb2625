import { minimiseToRest } from './nelder-mead.ts';
import { hypergeometric2F1, inverseOnePlusExp, lnGamma, logAddExp } from './special-functions.ts';

// The BG/NBD model of Fader, Hardie and Lee, "Counting Your Customers the Easy Way" (Marketing
// Science, 2005): while alive a customer buys at a Poisson rate λ ~ Gamma(r, α); after each
// purchase they drop out with probability p ~ Beta(a, b). Everything is computed in log space;
// the conditional expectation uses Euler's transformation of ₂F₁ (below), so no customer's
// figures overflow however many purchases they made.

export interface BgNbdParameters {
  readonly r: number;
  readonly alpha: number;
  readonly a: number;
  readonly b: number;
}

export interface RepeatHistory {
  /** Repeat transactions x. */
  readonly frequency: number;
  /** Time of the last transaction t_x, from the first. */
  readonly recency: number;
  /** Time from the first transaction to the end of observation. */
  readonly T: number;
}

interface WeightedHistory extends RepeatHistory {
  readonly count: number;
}

/** Customers with the same (x, t_x, T) contribute the same term: fit over the distinct ones, weighted. */
export function groupHistories(histories: Iterable<RepeatHistory>): WeightedHistory[] {
  const groups = new Map<string, WeightedHistory>();
  for (const h of histories) {
    const key = `${h.frequency}|${h.recency}|${h.T}`;
    const seen = groups.get(key);
    groups.set(key, { frequency: h.frequency, recency: h.recency, T: h.T, count: (seen?.count ?? 0) + 1 });
  }
  return [...groups.values()];
}

/** ln L of one customer (equation 6 of the paper). */
export function bgNbdLogLikelihoodOf({ r, alpha, a, b }: BgNbdParameters, { frequency: x, recency: tx, T }: RepeatHistory): number {
  const common = lnGamma(r + x) - lnGamma(r) + r * Math.log(alpha) + lnGamma(a + b) + lnGamma(b + x) - lnGamma(b) - lnGamma(a + b + x);
  const stillAlive = -(r + x) * Math.log(alpha + T);
  if (x === 0) return common + stillAlive;
  const droppedOut = Math.log(a) - Math.log(b + x - 1) - (r + x) * Math.log(alpha + tx);
  return common + logAddExp(stillAlive, droppedOut);
}

export function bgNbdLogLikelihood(parameters: BgNbdParameters, histories: readonly WeightedHistory[]): number {
  let sum = 0;
  for (const h of histories) sum += h.count * bgNbdLogLikelihoodOf(parameters, h);
  return sum;
}

const fromLog = ([r, alpha, a, b]: readonly number[]): BgNbdParameters => ({ r: Math.exp(r!), alpha: Math.exp(alpha!), a: Math.exp(a!), b: Math.exp(b!) });

export interface BgNbdFit {
  readonly parameters: BgNbdParameters;
  readonly logLikelihood: number;
  readonly iterations: number;
  readonly converged: boolean;
}

/**
 * Maximum likelihood over all customers. The parameters are positive, so the search runs over
 * their logarithms (restarted until it rests: minimiseToRest).
 */
export function fitBgNbd(histories: Iterable<RepeatHistory>): BgNbdFit {
  const grouped = groupHistories(histories);
  if (grouped.length === 0) throw new RangeError('No purchase histories to fit.');
  const objective = (logs: readonly number[]) => -bgNbdLogLikelihood(fromLog(logs), grouped);
  const found = minimiseToRest(objective, [0, 0, 0, 0]);
  return { parameters: fromLog(found.point), logLikelihood: -found.value, iterations: found.iterations, converged: found.converged };
}

/** ln of the odds that the customer has dropped out rather than not bought by chance (0 terms for x = 0). */
function logDropOutOdds({ r, alpha, a, b }: BgNbdParameters, { frequency: x, recency: tx, T }: RepeatHistory): number {
  if (x === 0) return Number.NEGATIVE_INFINITY;
  return Math.log(a) - Math.log(b + x - 1) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx));
}

/** P(alive | x, t_x, T): equation 11 of the paper. */
export function probabilityAlive(parameters: BgNbdParameters, history: RepeatHistory): number {
  return inverseOnePlusExp(logDropOutOdds(parameters, history));
}

/**
 * E[Y(t) | x, t_x, T], the purchases expected in the next `t` periods (equation 10). Its
 * ₂F₁(r+x, b+x; a+b+x-1; z) grows without bound with x while ((α+T)/(α+T+t))^(r+x) shrinks; Euler's
 * transformation ₂F₁(A,B;C;z) = (1-z)^(C-A-B) ₂F₁(C-A, C-B; C; z) cancels the two exactly and leaves
 * (1-z)^(a-1) ₂F₁(a+b-1-r, a-1; a+b+x-1; z), whose terms stay small for any x.
 */
export function expectedPurchases(parameters: BgNbdParameters, history: RepeatHistory, t: number): number {
  if (t <= 0) return 0;
  const { r, alpha, a, b } = parameters;
  const x = history.frequency;
  const z = t / (alpha + history.T + t);
  const remaining = Math.exp((a - 1) * Math.log1p(-z)) * hypergeometric2F1(a + b - 1 - r, a - 1, a + b + x - 1, z);
  const whileAlive = ((a + b + x - 1) / (a - 1)) * (1 - remaining);
  return whileAlive * probabilityAlive(parameters, history);
}

/** E[X(t)] for a customer just acquired: the unconditional expectation (equation 7). */
export function expectedPurchasesOfNewCustomer(parameters: BgNbdParameters, t: number): number {
  return expectedPurchases(parameters, { frequency: 0, recency: 0, T: 0 }, t);
}
