import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { Purchase } from '#domain/analytics/purchase-history.ts';

// Synthetic customers drawn from the models' own generative processes (Fader, Hardie and Lee 2005;
// Fader and Hardie's Gamma-Gamma note), seeded, so that a fit over them should give back the
// parameters they were drawn with. Time runs in weeks, as the CDNOW fit; purchases land on days.
//   BG/NBD: each customer buys at Poisson rate lambda ~ Gamma(r, alpha) while active, and after
//   each repeat purchase drops out for good with probability p ~ Beta(a, b).
//   Gamma-Gamma: each purchase is worth z ~ Gamma(p, nu), nu ~ Gamma(q, gamma) per customer.
// The cohort is CDNOW's: first purchases over the first 12 weeks of 1997, observed to 1997-09-30.
// pure-rand gives the seeded uniform stream; Gamma draws are Marsaglia and Tsang's (2000) method,
// Beta draws a ratio of two Gammas: a dozen lines that no small, script-free package offers seeded.

export const PUBLISHED_CDNOW = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426, p: 6.25, q: 3.74, gamma: 15.44 } as const;
export const SYNTHETIC_AS_OF = '1997-09-30';
const START = Date.UTC(1997, 0, 1);
const AS_OF_DAY = (Date.parse(SYNTHETIC_AS_OF) - START) / 86_400_000;
const COHORT_DAYS = 84;

export function syntheticPurchases(customers: number, seed: number, truth = PUBLISHED_CDNOW): Purchase[] {
  const rng = xoroshiro128plus(seed);
  const uniform = () => uniformFloat64(rng);
  const normal = () => {
    // Marsaglia's polar method.
    for (;;) {
      const u = 2 * uniform() - 1;
      const v = 2 * uniform() - 1;
      const s = u * u + v * v;
      if (s > 0 && s < 1) return u * Math.sqrt((-2 * Math.log(s)) / s);
    }
  };
  const gamma = (shape: number, rate: number): number => {
    if (shape < 1) return gamma(shape + 1, rate) * (1 - uniform()) ** (1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      const x = normal();
      const v = (1 + c * x) ** 3;
      if (v <= 0) continue;
      const u = 1 - uniform();
      if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return (d * v) / rate;
    }
  };
  const beta = (a: number, b: number) => {
    const x = gamma(a, 1);
    return x / (x + gamma(b, 1));
  };
  const day = (offset: number) => new Date(START + offset * 86_400_000).toISOString().slice(0, 10);
  const cents = (value: number) => Math.round(value * 100) / 100;

  const purchases: Purchase[] = [];
  for (let i = 0; i < customers; i++) {
    const customerId = `synthetic-${i}`;
    const first = Math.floor(uniform() * COHORT_DAYS);
    const lambda = gamma(truth.r, truth.alpha);
    const dropout = beta(truth.a, truth.b);
    const nu = gamma(truth.q, truth.gamma);
    const spend = () => cents(Math.max(0.01, gamma(truth.p, nu)));
    purchases.push({ customerId, date: day(first), amount: spend() });
    const weeks = (AS_OF_DAY - first) / 7;
    for (let t = 0; ; ) {
      t += -Math.log(1 - uniform()) / lambda;
      if (t > weeks) break;
      purchases.push({ customerId, date: day(first + Math.floor(t * 7)), amount: spend() });
      if (uniform() < dropout) break;
    }
  }
  return purchases;
}
