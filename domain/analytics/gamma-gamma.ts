import { minimiseToRest } from './nelder-mead.ts';
import { lnGamma } from './special-functions.ts';

// The Gamma-Gamma model of spend (Fader and Hardie, "The Gamma-Gamma Model of Monetary Value",
// 2013, after Colombo and Jiang 1999): a customer's transaction values are Gamma(p, ν) around
// their own mean, and ν ~ Gamma(q, γ) across customers. It is fitted on the customers with at
// least one repeat transaction, on the mean value of those repeat transactions (and it assumes
// spend independent of frequency, which the caller may check).

export interface GammaGammaParameters {
  readonly p: number;
  readonly q: number;
  readonly gamma: number;
}

export interface SpendHistory {
  /** Repeat transactions x (at least 1 to count in the fit). */
  readonly frequency: number;
  /** Their mean value z̄ (above 0 to count in the fit). */
  readonly monetary: number;
}

/** ln f(z̄ | p, q, γ, x): the density of a customer's mean repeat value. */
export function gammaGammaLogLikelihoodOf({ p, q, gamma }: GammaGammaParameters, { frequency: x, monetary: m }: SpendHistory): number {
  const px = p * x;
  return lnGamma(px + q) - lnGamma(px) - lnGamma(q) + q * Math.log(gamma) + px * Math.log(x) + (px - 1) * Math.log(m) - (px + q) * Math.log(gamma + x * m);
}

export const fitsSpendModel = (h: SpendHistory) => h.frequency > 0 && h.monetary > 0;

export interface GammaGammaFit {
  readonly parameters: GammaGammaParameters;
  readonly logLikelihood: number;
  readonly customers: number;
  readonly converged: boolean;
}

export function fitGammaGamma(histories: Iterable<SpendHistory>): GammaGammaFit {
  const fitted = [...histories].filter(fitsSpendModel);
  if (fitted.length === 0) throw new RangeError('No customer with a repeat transaction of positive value to fit the spend model on.');
  const of = ([p, q, gamma]: readonly number[]) => ({ p: Math.exp(p!), q: Math.exp(q!), gamma: Math.exp(gamma!) });
  const objective = (logs: readonly number[]) => {
    const parameters = of(logs);
    let sum = 0;
    for (const h of fitted) sum += gammaGammaLogLikelihoodOf(parameters, h);
    return -sum;
  };
  const found = minimiseToRest(objective, [0, 0, 0]);
  return { parameters: of(found.point), logLikelihood: -found.value, customers: fitted.length, converged: found.converged };
}

/**
 * E(Z | p, q, γ, z̄, x): the value a customer's future transactions are expected to have, a weighted
 * mean of the population's p·γ/(q-1) and their own z̄ (their own weighs more the more they bought).
 * Defined for q > 1; a customer with no repeat transaction gets the population mean.
 */
export function expectedTransactionValue({ p, q, gamma }: GammaGammaParameters, { frequency: x, monetary: m }: SpendHistory): number {
  const own = x > 0 && m > 0 ? x * m : 0;
  const weight = x > 0 && m > 0 ? x : 0;
  return (p * (gamma + own)) / (p * weight + q - 1);
}
