import { type BgNbdParameters, expectedPurchases, probabilityAlive } from './bg-nbd.ts';
import { expectedTransactionValue, type GammaGammaParameters } from './gamma-gamma.ts';
import { daysPerPeriod, type PeriodUnit, type PurchaseSummary } from './purchase-history.ts';

// A customer's value figures from the two fitted models: how likely they still buy, how much they
// are expected to buy, and what that is worth over the next year, discounted per month.

export interface FittedModels {
  readonly periodUnit: PeriodUnit;
  readonly bgnbd: BgNbdParameters;
  readonly gammaGamma: GammaGammaParameters;
}

export interface CustomerValue {
  readonly frequency: number;
  readonly recency: number;
  readonly T: number;
  readonly monetary: number;
  readonly pAlive: number;
  readonly churnRisk: number;
  readonly expectedPurchases: { readonly days30: number; readonly days90: number; readonly days365: number };
  readonly clv: { readonly months12: number; readonly discountRate: number };
}

/** A month as lifetimes and most CLV write-ups count it: a twelfth of a 365.25-day year. */
export const DAYS_PER_MONTH = 365.25 / 12;
/** Monthly discount rate: about 12.7% a year, the usual default (lifetimes' too). */
export const DEFAULT_MONTHLY_DISCOUNT_RATE = 0.01;

const round = (value: number, digits: number) => Number(value.toFixed(digits));

/**
 * CLV over `months`: for each month, the purchases expected in it (the difference of the
 * cumulative expectations) times the expected value of a transaction, discounted to today.
 */
export function lifetimeValue(models: FittedModels, summary: PurchaseSummary, months: number, discountRate: number): number {
  const per = daysPerPeriod(models.periodUnit);
  const value = expectedTransactionValue(models.gammaGamma, summary);
  let total = 0;
  let before = 0;
  for (let month = 1; month <= months; month++) {
    const upTo = expectedPurchases(models.bgnbd, summary, (month * DAYS_PER_MONTH) / per);
    total += ((upTo - before) * value) / (1 + discountRate) ** month;
    before = upTo;
  }
  return total;
}

export function customerValue(models: FittedModels, summary: PurchaseSummary, discountRate = DEFAULT_MONTHLY_DISCOUNT_RATE): CustomerValue {
  const per = daysPerPeriod(models.periodUnit);
  const pAlive = probabilityAlive(models.bgnbd, summary);
  const within = (days: number) => round(expectedPurchases(models.bgnbd, summary, days / per), 4);
  return {
    frequency: summary.frequency,
    recency: round(summary.recency, 4),
    T: round(summary.T, 4),
    monetary: round(summary.monetary, 2),
    pAlive: round(pAlive, 4),
    churnRisk: round(1 - pAlive, 4),
    expectedPurchases: { days30: within(30), days90: within(90), days365: within(365) },
    clv: { months12: round(lifetimeValue(models, summary, 12, discountRate), 2), discountRate },
  };
}
