import type { Section } from './context.ts';
import { coldImportTimes } from './cold-start.ts';
import { heading, ms, table } from './report.ts';
import { type Summary, summarize } from './stats.ts';

// Issue 14: which EMF writer every function carries. Each variant is a bundled handler, imported
// in fresh processes (as Lambda's init does); the bare handler's time is what Node and the bundle
// format cost anyway, so each writer's own cost is its median minus the bare one's.
const VARIANTS = [
  ['bare handler (no metrics)', 'bench/reference/bare.lambda.ts'],
  ['functions/shared/metrics.ts (hand-written EMF)', 'bench/reference/metrics-emf.lambda.ts'],
  ['@aws-lambda-powertools/metrics', 'bench/reference/metrics-powertools.lambda.ts'],
] as const;

export function metricsWriterSection(runs = 20): Section {
  return async (context) => {
    heading(`Metrics writer: cold import of each, median of ${runs} fresh processes`);
    const bundles = await Promise.all(VARIANTS.map(([, entry]) => context.bundleEntry(entry)));
    const env = { AWS_REGION: 'us-east-1', AWS_LAMBDA_FUNCTION_NAME: 'bench' };
    const times = await coldImportTimes(context.root, bundles.map((b) => ({ bundlePath: b.path, env })), runs);
    const [bare, emf, powertools] = times.samples.map(summarize) as [Summary, Summary, Summary];
    const sizes = bundles.map((b) => `${(b.bytes / 1024).toFixed(1)} KiB`);
    console.log(`  node ${times.nodeVersion}; the three take turns; "own" is the median minus the bare handler's`);
    table([
      ['', 'median', 'p90', 'own', 'bundle'],
      [VARIANTS[0][0], ms(bare.median), ms(bare.p90), '-', sizes[0]!],
      [VARIANTS[1][0], ms(emf.median), ms(emf.p90), ms(emf.median - bare.median), sizes[1]!],
      [VARIANTS[2][0], ms(powertools.median), ms(powertools.p90), ms(powertools.median - bare.median), sizes[2]!],
    ]);
    return [
      { section: 'metrics writer', figure: 'hand-written EMF (metrics.ts): cold import over a bare handler, median', value: ms(emf.median - bare.median) },
      { section: 'metrics writer', figure: 'Powertools Metrics: cold import over a bare handler, median', value: ms(powertools.median - bare.median) },
      { section: 'metrics writer', figure: 'bundle sizes: bare / EMF / Powertools', value: sizes.join(' / ') },
    ];
  };
}
