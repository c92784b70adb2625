import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { FunctionName } from '#infra/topology.ts';
import type { Section } from './context.ts';
import { heading, ms, table, verdict } from './report.ts';
import { type Summary, summarize } from './stats.ts';

const run = promisify(execFile);

export interface ColdImportOptions {
  readonly runs: number;
  /** The Lambda's environment: only what its composition root reads, nothing from this shell. */
  readonly env: Readonly<Record<string, string>>;
}

export interface ColdImport {
  readonly nodeVersion: string;
  readonly samples: number[];
}

/**
 * Time from `import()` to a ready module in fresh Node processes: module evaluation plus the
 * composition root's cold-start work (config, SDK client), which is what Lambda's init pays
 * before the first request. One discarded run first, so no sample pays for a cold disk cache.
 */
export async function coldImportTimes(root: string, bundlePath: string, { runs, env }: ColdImportOptions): Promise<ColdImport> {
  const node = lambdaNode(root);
  const script = [
    'const t0 = performance.now();',
    `const m = await import(${JSON.stringify(pathToFileURL(bundlePath).href)});`,
    'const elapsed = performance.now() - t0;',
    "if (typeof m.handler !== 'function') throw new Error('bundle exports no handler');",
    'console.log(JSON.stringify({ elapsed, node: process.version }));',
  ].join('\n');
  const once = async () => {
    const { stdout } = await run(node, ['--input-type=module', '-e', script], { env: { ...env }, timeout: 30_000 });
    return JSON.parse(stdout) as { elapsed: number; node: string };
  };

  const first = await once();
  const samples: number[] = [];
  // Sequential on purpose: parallel processes would compete for the two cores and inflate times.
  for (let i = 0; i < runs; i++) samples.push((await once()).elapsed);
  return { nodeVersion: first.node, samples };
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
    const deployed = await coldImportTimes(context.root, bundle.path, { runs, env });
    // For comparison only: what Node's own source-map support would add at start-up (the bundle
    // maps stack traces itself, on demand: functions/shared/source-mapped-stacks.ts).
    const nodeMaps = await coldImportTimes(context.root, bundle.path, { runs, env: { ...env, NODE_OPTIONS: '--enable-source-maps' } });
    // The yardstick, measured in the same minutes: the SDK's document client alone.
    const sdkOnly = await coldImportTimes(context.root, (await context.bundleEntry(REFERENCE_ENTRY)).path, { runs, env });
    const asDeployed = summarize(deployed.samples);
    const withNodeMaps = summarize(nodeMaps.samples);
    const reference = summarize(sdkOnly.samples);
    const pass = asDeployed.median <= COLD_IMPORT_TARGET_MS;
    console.log(`  node ${deployed.nodeVersion}; await import(index.mjs); env TABLE_NAME, AWS_REGION only, as deployed`);
    table([
      ['', 'median', 'p90', 'min', 'max'],
      ['as deployed', ...row(asDeployed), `target <= ${COLD_IMPORT_TARGET_MS} ms`, verdict(pass)],
      ['NODE_OPTIONS=--enable-source-maps (info)', ...row(withNodeMaps)],
      ['reference: DynamoDB document client alone (info)', ...row(reference)],
    ]);
    return [
      {
        section: 'cold import',
        figure: `${fn} median, as deployed (node ${deployed.nodeVersion})`,
        value: ms(asDeployed.median),
        target: `<= ${COLD_IMPORT_TARGET_MS} ms`,
        pass,
      },
      { section: 'cold import', figure: `${fn} p90 / min, as deployed`, value: `${ms(asDeployed.p90)} / ${ms(asDeployed.min)}` },
      { section: 'cold import', figure: `${fn} median, with --enable-source-maps`, value: ms(withNodeMaps.median) },
      { section: 'cold import', figure: 'reference: DynamoDB document client alone, median', value: ms(reference.median) },
    ];
  };
}

const row = (s: Summary) => [ms(s.median), ms(s.p90), ms(s.min), ms(s.max)];
