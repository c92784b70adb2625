import { describe, expect, it } from 'vitest';
import { bgNbdLogLikelihoodOf, expectedPurchases, expectedPurchasesOfNewCustomer, fitBgNbd, probabilityAlive } from '#domain/analytics/bg-nbd.ts';
import { customerValue } from '#domain/analytics/customer-value.ts';
import { expectedTransactionValue, fitGammaGamma } from '#domain/analytics/gamma-gamma.ts';
import { minimise } from '#domain/analytics/nelder-mead.ts';
import { summarisePurchases } from '#domain/analytics/purchase-history.ts';
import { hypergeometric2F1 } from '#domain/analytics/special-functions.ts';
import { readCdnow } from '../support/cdnow.ts';

// The models against the published figures on the data they were published on: the CDNOW sample
// (test/fixtures/cdnow), calibration weeks 1-39 (to 1997-09-30), holdout weeks 40-78.

const lines = readCdnow();
const calibration = summarisePurchases(lines, '1997-09-30', 'week');
const bgnbd = fitBgNbd(calibration);
const spend = fitGammaGamma(calibration);

describe('purchase histories (the data set README conventions)', () => {
  it('counts the sample as published: 2,357 customers, 946 with a repeat transaction in calibration', () => {
    expect(lines).toHaveLength(6919);
    expect(calibration).toHaveLength(2357);
    expect(calibration.filter((c) => c.frequency > 0)).toHaveLength(946);
  });

  it('makes one transaction of several on one day, counts whole days, and keeps purchases dated asOf', () => {
    const [c] = summarisePurchases(
      [
        { customerId: 'c', date: '2024-01-01', amount: 10 },
        { customerId: 'c', date: '2024-01-01', amount: 5 },
        { customerId: 'c', date: '2024-01-08', amount: 20 },
        { customerId: 'c', date: '2024-01-15', amount: 40 },
        { customerId: 'c', date: '2024-01-16', amount: 99 },
      ],
      '2024-01-15',
      'week',
    );
    expect(c).toMatchObject({ frequency: 2, recency: 2, T: 2, monetary: 30, transactions: 3, totalSpend: 75, firstPurchase: '2024-01-01', lastPurchase: '2024-01-15' });
  });
});

describe('BG/NBD (Fader, Hardie and Lee 2005)', () => {
  it('fits the published parameters r 0.243, alpha 4.414, a 0.793, b 2.426 and ln L -9582.4', () => {
    expect(bgnbd.converged).toBe(true);
    expect(bgnbd.parameters.r).toBeCloseTo(0.243, 3);
    expect(bgnbd.parameters.alpha).toBeCloseTo(4.414, 2);
    expect(bgnbd.parameters.a).toBeCloseTo(0.793, 3);
    expect(bgnbd.parameters.b).toBeCloseTo(2.426, 2);
    expect(bgnbd.logLikelihood).toBeCloseTo(-9582.4, 1);
  });

  it("gives the paper's worked example: x 2, t_x 30.43, T 38.86 expects 1.226 purchases in the next 39 weeks", () => {
    expect(expectedPurchases(bgnbd.parameters, { frequency: 2, recency: 30.43, T: 38.86 }, 39)).toBeCloseTo(1.226, 3);
  });

  it('forecasts the 39-week holdout: per calibration frequency within the spread the paper shows, in total within 15%', () => {
    const after = new Map(summarisePurchases(lines, '1998-06-30', 'week').map((c) => [c.customerId, c.transactions]));
    let actual = 0;
    let expected = 0;
    const byFrequency = new Map<number, { actual: number; expected: number }>();
    for (const c of calibration) {
      const bought = after.get(c.customerId)! - c.transactions;
      const forecast = expectedPurchases(bgnbd.parameters, c, 39);
      actual += bought;
      expected += forecast;
      const group = byFrequency.get(Math.min(c.frequency, 7)) ?? { actual: 0, expected: 0 };
      byFrequency.set(Math.min(c.frequency, 7), { actual: group.actual + bought, expected: group.expected + forecast });
    }
    expect(actual).toBe(1882);
    expect(Math.abs(expected - actual) / actual).toBeLessThan(0.15);
    // The paper's Figure 5: close for the many one-time buyers and the heavy buyers, under for x = 1, 2.
    for (const [frequency, group] of byFrequency) expect(group.expected / group.actual, `x = ${frequency}`).toBeGreaterThan(frequency === 0 || frequency >= 3 ? 0.8 : 0.7);
    expect(byFrequency.get(0)!.expected / byFrequency.get(0)!.actual).toBeLessThan(1.05);
  });

  it('is finite for every customer and for extreme histories (Euler-transformed 2F1, log-space odds)', () => {
    for (const c of calibration) {
      expect(Number.isFinite(probabilityAlive(bgnbd.parameters, c))).toBe(true);
      expect(Number.isFinite(expectedPurchases(bgnbd.parameters, c, 52))).toBe(true);
    }
    for (const history of [
      { frequency: 500, recency: 77, T: 78 },
      { frequency: 500, recency: 1, T: 5000 },
      { frequency: 0, recency: 0, T: 0 },
      { frequency: 3000, recency: 3650, T: 3650 },
    ]) {
      const p = probabilityAlive(bgnbd.parameters, history);
      const e = expectedPurchases(bgnbd.parameters, history, 52);
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(1);
      expect(Number.isFinite(e) && e >= 0).toBe(true);
      expect(Number.isFinite(bgNbdLogLikelihoodOf(bgnbd.parameters, history))).toBe(true);
    }
  });

  it('agrees with the untransformed formula where that one is still accurate', () => {
    const { r, alpha, a, b } = bgnbd.parameters;
    const direct = (x: number, tx: number, T: number, t: number) => {
      const z = t / (alpha + T + t);
      const body = ((a + b + x - 1) / (a - 1)) * (1 - ((alpha + T) / (alpha + T + t)) ** (r + x) * hypergeometric2F1(r + x, b + x, a + b + x - 1, z));
      return body / (1 + (x > 0 ? (a / (b + x - 1)) * ((alpha + T) / (alpha + tx)) ** (r + x) : 0));
    };
    for (const [x, tx, T] of [[0, 0, 30], [1, 5, 30], [4, 20, 35], [10, 35, 38]] as const) {
      expect(expectedPurchases(bgnbd.parameters, { frequency: x, recency: tx, T }, 39)).toBeCloseTo(direct(x, tx, T, 39), 9);
    }
  });

  it('a new customer is alive and expects more purchases the longer the horizon; nobody is expected to buy in no time', () => {
    expect(probabilityAlive(bgnbd.parameters, { frequency: 0, recency: 0, T: 10 })).toBe(1);
    expect(expectedPurchasesOfNewCustomer(bgnbd.parameters, 0)).toBe(0);
    expect(expectedPurchasesOfNewCustomer(bgnbd.parameters, 52)).toBeGreaterThan(expectedPurchasesOfNewCustomer(bgnbd.parameters, 26));
  });

  it('a customer silent for long after buying often is less likely alive than one who just bought', () => {
    expect(probabilityAlive(bgnbd.parameters, { frequency: 5, recency: 10, T: 38 })).toBeLessThan(probabilityAlive(bgnbd.parameters, { frequency: 5, recency: 37, T: 38 }));
  });
});

describe('Gamma-Gamma spend model (Fader and Hardie 2013)', () => {
  it('fits the published parameters p 6.25, q 3.74, gamma 15.44 over the 946 repeat buyers', () => {
    expect(spend.customers).toBe(946);
    expect(spend.parameters.p).toBeCloseTo(6.25, 2);
    expect(spend.parameters.q).toBeCloseTo(3.74, 2);
    expect(spend.parameters.gamma).toBeCloseTo(15.44, 1);
  });

  it("pulls a customer's mean towards the population's, less so the more they bought", () => {
    const { p, q, gamma } = spend.parameters;
    const population = (p * gamma) / (q - 1);
    expect(expectedTransactionValue(spend.parameters, { frequency: 0, monetary: 0 })).toBeCloseTo(population, 9);
    const once = expectedTransactionValue(spend.parameters, { frequency: 1, monetary: 100 });
    const often = expectedTransactionValue(spend.parameters, { frequency: 20, monetary: 100 });
    expect(once).toBeGreaterThan(population);
    expect(often).toBeGreaterThan(once);
    expect(often).toBeLessThan(100);
  });
});

describe('customer value', () => {
  it('gives every CDNOW customer finite figures: P(alive) in [0, 1], churn risk its complement, CLV at least 0', () => {
    const models = { periodUnit: 'week' as const, bgnbd: bgnbd.parameters, gammaGamma: spend.parameters };
    for (const c of calibration) {
      const v = customerValue(models, c);
      expect(v.pAlive + v.churnRisk).toBeCloseTo(1, 9);
      expect(v.pAlive).toBeGreaterThanOrEqual(0);
      expect(v.pAlive).toBeLessThanOrEqual(1);
      expect(v.expectedPurchases.days30).toBeLessThanOrEqual(v.expectedPurchases.days90);
      expect(v.expectedPurchases.days90).toBeLessThanOrEqual(v.expectedPurchases.days365);
      expect(Number.isFinite(v.clv.months12) && v.clv.months12 >= 0).toBe(true);
    }
  });

  it('days and weeks give the same expectations for the same history', () => {
    const daily = { periodUnit: 'day' as const, bgnbd: { ...bgnbd.parameters, alpha: bgnbd.parameters.alpha * 7 }, gammaGamma: spend.parameters };
    const weekly = { periodUnit: 'week' as const, bgnbd: bgnbd.parameters, gammaGamma: spend.parameters };
    const history = { customerId: 'x', frequency: 3, recency: 20, T: 30, monetary: 40, transactions: 4, totalSpend: 160, firstPurchase: '1997-01-01', lastPurchase: '1997-05-21' };
    const inDays = { ...history, recency: 140, T: 210 };
    expect(customerValue(daily, inDays).expectedPurchases.days90).toBeCloseTo(customerValue(weekly, history).expectedPurchases.days90, 3);
    expect(customerValue(daily, inDays).clv.months12).toBeCloseTo(customerValue(weekly, history).clv.months12, 1);
  });
});

describe('minimise (Nelder-Mead)', () => {
  it("finds Rosenbrock's valley floor in 2 and 4 dimensions", () => {
    const rosenbrock = (x: readonly number[]) => x.slice(1).reduce((sum, v, i) => sum + 100 * (v - x[i]! ** 2) ** 2 + (1 - x[i]!) ** 2, 0);
    for (const start of [[-1.2, 1], [-1, 1, -1, 1]]) {
      const found = minimise(rosenbrock, start, { maxIterations: 20_000 });
      expect(found.converged).toBe(true);
      for (const v of found.point) expect(v).toBeCloseTo(1, 3);
    }
  });

  it('walks away from points where the function is not finite', () => {
    const found = minimise((x) => (x[0]! <= 0 ? Number.NaN : (Math.log(x[0]!) - 1) ** 2), [0.5]);
    expect(found.point[0]).toBeCloseTo(Math.E, 4);
  });
});
