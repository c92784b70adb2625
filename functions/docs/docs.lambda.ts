import { lazyPort, once } from '../shared/lazy.ts';
import { docsHandler } from './docs.app.ts';

// Composition root. GET /usage is an admin's occasional call: its CloudWatch client (and the XML
// parser it brings) is built on its first call, and the price table (USAGE_PRICES, zod) is read
// then too, so the cold start compiles neither. A bad USAGE_PRICES fails those requests rather
// than the init; the stack refuses one at synth already (infra/cdk/stack-settings.ts).
export const handler = docsHandler({
  usage: lazyPort(async () => (await import('./usage.cloudwatch-source.ts')).lambdaUsageSource()),
  prices: once(async () => (await import('./usage.config.ts')).usagePricesConfig()),
});
