import { fitBgNbd } from '#domain/analytics/bg-nbd.ts';
import { fitGammaGamma, fitsSpendModel } from '#domain/analytics/gamma-gamma.ts';
import { type Purchase, summarisePurchases } from '#domain/analytics/purchase-history.ts';
import { readCdnow } from '../test/support/cdnow.ts';
import { SYNTHETIC_AS_OF, syntheticPurchases } from './clv-synthetic.ts';

// One fit in a process of its own (bench/clv.ts starts it), so that its peak resident memory is the
// fit's: `cdnow`, or `synthetic <customers> <seed>`. Prints one JSON line.

const [kind, size, seed] = process.argv.slice(2);
const rssBefore = process.memoryUsage().rss;
const purchases: Purchase[] = kind === 'cdnow' ? readCdnow().map(({ customerId, date, amount }) => ({ customerId, date, amount })) : syntheticPurchases(Number(size), Number(seed));
const asOf = kind === 'cdnow' ? '1997-09-30' : SYNTHETIC_AS_OF;
const loaded = process.memoryUsage().rss;

let started = performance.now();
const summaries = summarisePurchases(
  purchases.filter((p) => p.date <= asOf),
  asOf,
  'week',
);
const summariseMs = performance.now() - started;
started = performance.now();
const bgnbd = fitBgNbd(summaries);
const bgnbdMs = performance.now() - started;
started = performance.now();
const spend = summaries.filter(fitsSpendModel);
const gammaGamma = fitGammaGamma(spend);
const gammaGammaMs = performance.now() - started;

console.log(
  JSON.stringify({
    customers: summaries.length,
    purchases: purchases.length,
    spendCustomers: spend.length,
    summariseMs,
    bgnbdMs,
    gammaGammaMs,
    parameters: { ...bgnbd.parameters, ...gammaGamma.parameters },
    rssBeforeMb: rssBefore / 2 ** 20,
    rssLoadedMb: loaded / 2 ** 20,
    // resourceUsage().maxRSS is in kilobytes: the process's high-water mark, data and fit together.
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  }),
);
