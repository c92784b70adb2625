import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { FunctionName } from '#infra/topology.ts';
import type { Section } from './context.ts';
import { heading, ms, table, verdict } from './report.ts';
import { type Summary, summarize } from './stats.ts';

const run = promisify(execFile);

export interface ColdImportVariant {
  readonly bundlePath: string;
  /** The Lambda's environment: only what its composition root reads, nothing from this shell. */
  readonly env: Readonly<Record<string, string>>;
}

export interface ColdImport {
  readonly nodeVersion: string;
  /** Per variant, in the order given. */
  readonly samples: number[][];
}

/**
 * Time from `import()` to a ready module in fresh Node processes: module evaluation plus the
 * composition root's cold-start work (config, SDK client), which is what Lambda's init pays
 * before the first request. One discarded run of each variant first, so no sample pays for a
 * cold disk cache. Variants take turns, so a slow minute on this shared machine hits all of
 * them alike and they stay comparable.
 */
export async function coldImportTimes(root: string, variants: readonly ColdImportVariant[], runs: number): Promise<ColdImport> {
  const node = lambdaNode(root);
  const once = async ({ bundlePath, env }: ColdImportVariant) => {
    const script = [
      'const t0 = performance.now();',
      `const m = await import(${JSON.stringify(pathToFileURL(bundlePath).href)});`,
      'const elapsed = performance.now() - t0;',
      "if (typeof m.handler !== 'function') throw new Error('bundle exports no handler');",
      'console.log(JSON.stringify({ elapsed, node: process.version }));',
    ].join('\n');
    const { stdout } = await run(node, ['--input-type=module', '-e', script], { env: { ...env }, timeout: 30_000 });
    return JSON.parse(stdout) as { elapsed: number; node: string };
  };

  let nodeVersion = '';
  for (const variant of variants) nodeVersion = (await once(variant)).node;
  const samples = variants.map((): number[] => []);
  // Sequential on purpose: parallel processes would compete for the two cores and inflate times.
  for (let i = 0; i < runs; i++) {
    for (const [v, variant] of variants.entries()) samples[v]!.push((await once(variant)).elapsed);
  }
  return { nodeVersion, samples };
}

/** Lambda's Node major: this process when npm ran it with the pinned node@24, else that binary. */
function lambdaNode(root: string): string {
  return process.versions.node.startsWith('24.') ? process.execPath : join(root, 'node_modules', '.bin', 'node');
}

export const COLD_IMPORT_TARGET_MS = 80;
const REFERENCE_ENTRY = 'bench/reference/document-client.lambda.ts';

export function coldImportSection(fn: FunctionName, runs = 20): Section {
  return async (context) => {
    heading(`Cold import: ${fn} bundle, median of ${runs} fresh processes`);
    const bundle = await context.bundle(fn);
    const env = { TABLE_NAME: 'bench', AWS_REGION: 'us-east-1' };
    const reference = await context.bundleEntry(REFERENCE_ENTRY);
    const times = await coldImportTimes(
      context.root,
      [
        { bundlePath: bundle.path, env },
        // For comparison only: what Node's own source-map support would add at start-up (the
        // bundle maps stack traces itself, on demand: functions/shared/source-mapped-stacks.ts).
        { bundlePath: bundle.path, env: { ...env, NODE_OPTIONS: '--enable-source-maps' } },
        // The yardstick: the SDK's document client alone.
        { bundlePath: reference.path, env },
      ],
      runs,
    );
    const [asDeployed, withNodeMaps, sdkOnly] = times.samples.map(summarize) as [Summary, Summary, Summary];
    const pass = asDeployed.median <= COLD_IMPORT_TARGET_MS;
    console.log(`  node ${times.nodeVersion}; await import(index.mjs); env TABLE_NAME, AWS_REGION only, as deployed; the three take turns`);
    table([
      ['', 'median', 'p90', 'min', 'max'],
      ['as deployed', ...row(asDeployed), `target <= ${COLD_IMPORT_TARGET_MS} ms`, verdict(pass)],
      ['NODE_OPTIONS=--enable-source-maps (info)', ...row(withNodeMaps)],
      ['reference: DynamoDB document client alone (info)', ...row(sdkOnly)],
    ]);
    return [
      {
        section: 'cold import',
        figure: `${fn} median, as deployed (node ${times.nodeVersion})`,
        value: ms(asDeployed.median),
        target: `<= ${COLD_IMPORT_TARGET_MS} ms`,
        pass,
      },
      { section: 'cold import', figure: `${fn} p90 / min, as deployed`, value: `${ms(asDeployed.p90)} / ${ms(asDeployed.min)}` },
      { section: 'cold import', figure: `${fn} median, with --enable-source-maps`, value: ms(withNodeMaps.median) },
      { section: 'cold import', figure: 'reference: DynamoDB document client alone, median', value: ms(sdkOnly.median) },
    ];
  };
}

const row = (s: Summary) => [ms(s.median), ms(s.p90), ms(s.min), ms(s.max)];
