import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { type Access, FUNCTIONS, type FunctionName, ROUTE_TABLE, SCHEDULE_TARGETS } from '#infra/routes.ts';
import type { Section } from './context.ts';
import { startFakeSsm } from './fake-ssm.ts';
import { heading, kb, ms, table, verdict } from './report.ts';
import { type Summary, summarize } from './stats.ts';

const run = promisify(execFile);

export interface ColdImportVariant {
  readonly bundlePath: string;
  /** The Lambda's environment: only what its composition root reads, nothing from this shell. */
  readonly env: Readonly<Record<string, string>>;
  /**
   * Chunks to import once the bundle is ready (its lazy ones): the first-use figure. Imported after
   * the cold-import clock stops, so they do not change that figure.
   */
  readonly lazyChunks?: readonly string[];
}

export interface ColdImport {
  readonly nodeVersion: string;
  /** Per variant, in the order given. */
  readonly samples: number[][];
  /**
   * CPU time (user + system) of the same imports: on a machine other work is loading, wall time
   * also counts waiting for a core, CPU time mostly does not.
   */
  readonly cpuSamples: number[][];
  /**
   * Time from `import()` of the bundle until it and every one of `lazyChunks` are ready, in the same
   * processes (equal to `samples` for a variant without lazy chunks).
   */
  readonly firstUseSamples: number[][];
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
  const once = async ({ bundlePath, env, lazyChunks = [] }: ColdImportVariant) => {
    const script = [
      'const cpu0 = process.cpuUsage();',
      'const t0 = performance.now();',
      `const m = await import(${JSON.stringify(pathToFileURL(bundlePath).href)});`,
      'const elapsed = performance.now() - t0;',
      'const used = process.cpuUsage(cpu0);',
      // One after the other, as requests would reach them; a chunk another imports is then cached.
      `for (const chunk of ${JSON.stringify(lazyChunks.map((chunk) => pathToFileURL(chunk).href))}) await import(chunk);`,
      'const firstUse = performance.now() - t0;',
      "if (typeof m.handler !== 'function') throw new Error('bundle exports no handler');",
      'console.log(JSON.stringify({ elapsed, firstUse, cpu: (used.user + used.system) / 1000, node: process.version }));',
    ].join('\n');
    const { stdout } = await run(node, ['--input-type=module', '-e', script], { env: { ...env }, timeout: 30_000 });
    return JSON.parse(stdout) as { elapsed: number; firstUse: number; cpu: number; node: string };
  };

  let nodeVersion = '';
  for (const variant of variants) nodeVersion = (await once(variant)).node;
  const samples = variants.map((): number[] => []);
  const cpuSamples = variants.map((): number[] => []);
  const firstUseSamples = variants.map((): number[] => []);
  // Sequential on purpose: parallel processes would compete for the two cores and inflate times.
  for (let i = 0; i < runs; i++) {
    for (const [v, variant] of variants.entries()) {
      const { elapsed, firstUse, cpu } = await once(variant);
      samples[v]!.push(elapsed);
      cpuSamples[v]!.push(cpu);
      firstUseSamples[v]!.push(firstUse);
    }
  }
  return { nodeVersion, samples, cpuSamples, firstUseSamples };
}

/** Lambda's Node major: this process when npm ran it with the pinned node@24, else that binary. */
export function lambdaNode(root: string): string {
  return process.versions.node.startsWith('24.') ? process.execPath : join(root, 'node_modules', '.bin', 'node');
}

export const COLD_IMPORT_TARGET_MS = 80;
/** Issue 14: every API function's cold import, as a multiple of the yardstick's in the same run. */
export const COLD_IMPORT_RATIO_TARGET = 1.25;
const REFERENCE_ENTRY = 'bench/reference/document-client.lambda.ts';

/** Every function that serves routes (ROUTE_TABLE), in the order the table first names them. */
export function apiFunctions(): FunctionName[] {
  return [...new Set(ROUTE_TABLE.map((route) => route.function))];
}

/**
 * The environment a function's composition root validates at cold start, as the stack sets it
 * (infra/cdk/crm-function.construct.ts, crm-campaign-control.construct.ts, crm.stack.ts), with
 * placeholder values: nothing is called, only parsed; `tokenKeys` (bench/fake-ssm.ts) points the
 * token functions' SSM read (on their first token, not at import) at a local answer.
 */
export function coldStartEnv(access: Access, tokenKeys: Readonly<Record<string, string>> = {}): Record<string, string> {
  const arn = (resource: string) => `arn:aws:lambda:us-east-1:123456789012:function:${resource}`;
  return {
    AWS_REGION: 'us-east-1',
    ...(access.table ? { TABLE_NAME: 'bench' } : {}),
    ...(access.bus ? { EVENT_BUS_NAME: 'bench' } : {}),
    // The token functions read their keys from SSM on first use (bench/fake-ssm.ts answers).
    ...(access.tokens ? tokenKeys : {}),
    ...(access.email ? { EMAIL_FROM: 'bench@example.com', SES_CONFIGURATION_SET: 'bench' } : {}),
    ...(access.links ? { LINK_BASE_URL: 'https://api.example.com' } : {}),
    ...(access.warehouse ? { ANALYTICS_BUCKET: 'bench-analytics', WAREHOUSE_PREFIX: 'tables/' } : {}),
    ...(access.warehouseQueries ? { ATHENA_WORKGROUP: 'bench', ANALYTICS_DATABASE: 'bench' } : {}),
    ...(access.rules ? { CAMPAIGN_TRIGGER_ARN: arn('trigger'), CAMPAIGN_DEAD_LETTER_ARN: 'arn:aws:sqs:us-east-1:123456789012:dlq' } : {}),
    ...(access.schedules
      ? {
          SCHEDULE_GROUP: 'crm-schedules',
          SCHEDULER_ROLE_ARN: 'arn:aws:iam::123456789012:role/bench',
          SCHEDULE_DEAD_LETTER_ARN: 'arn:aws:sqs:us-east-1:123456789012:dlq',
          SCHEDULE_TARGET_ARNS: JSON.stringify(Object.fromEntries(SCHEDULE_TARGETS.map((name) => [name, arn(name)]))),
        }
      : {}),
  };
}

/**
 * Section 2: the cold import of every API function, bundled as shipped, against the yardstick
 * (the SDK's document client alone) measured in the same rounds: each round imports the
 * yardstick and then every function, so a slow minute on this shared machine hits all alike.
 * The ratio of medians is the figure: the absolute times move with the machine, the ratio barely.
 *
 * The other side of splitting, printed beside it (info, no target): the bytes of each function's
 * lazy chunks, and its first use: in the same process, once index.mjs is ready, every lazy chunk
 * imported too. That is an upper bound of what the slowest first request after a cold start adds
 * (no one request needs every chunk), as a ratio to the yardstick's cold import like the target.
 */
export function coldImportSection(functions: readonly FunctionName[], runs = 20): Section {
  return async (context) => {
    heading(`Cold import: ${functions.length} API functions against the yardstick, median of ${runs} fresh processes`);
    const reference = await context.bundleEntry(REFERENCE_ENTRY);
    const bundles = await Promise.all(functions.map((fn) => context.bundle(fn)));
    const ssm = await startFakeSsm();
    const variants: ColdImportVariant[] = [
      // The yardstick: the SDK's DynamoDB document client alone (cold import only).
      { bundlePath: reference.path, env: { TABLE_NAME: 'bench', AWS_REGION: 'us-east-1' } },
      ...functions.map((fn, i) => ({ bundlePath: bundles[i]!.path, env: coldStartEnv(FUNCTIONS[fn].access, ssm.env), lazyChunks: bundles[i]!.lazyChunks })),
    ];
    const times = await coldImportTimes(context.root, variants, runs).finally(() => ssm.close());
    const [yardstick, ...measured] = times.samples.map(summarize) as [Summary, ...Summary[]];
    const [yardstickCpu, ...measuredCpu] = times.cpuSamples.map(summarize) as [Summary, ...Summary[]];
    const [, ...measuredFirstUse] = times.firstUseSamples.map(summarize) as [Summary, ...Summary[]];
    console.log(`  node ${times.nodeVersion}; await import(index.mjs); env as the stack sets it (placeholder values; token keys from a local fake SSM); all take turns each round`);
    console.log('  first use (info): import(index.mjs), then every lazy chunk in the same process: the most a first request can add');
    const rows = functions.map((fn, i) => {
      const summary = measured[i]!;
      const ratio = summary.median / yardstick.median;
      const cpuRatio = measuredCpu[i]!.median / yardstickCpu.median;
      const firstUse = measuredFirstUse[i]!.median;
      const { bytes, lazyBytes } = bundles[i]!;
      return { fn, summary, ratio, cpuRatio, pass: ratio <= COLD_IMPORT_RATIO_TARGET, bytes, lazyBytes, firstUse, firstUseRatio: firstUse / yardstick.median };
    });
    table([
      ['', 'median', 'p90', 'min', 'max', 'cold-start code', 'x yardstick', `target <= ${COLD_IMPORT_RATIO_TARGET}`, 'CPU median', 'CPU x yardstick (info)', 'lazy chunks', 'first use median', 'first use x yardstick (info)'],
      ['yardstick: DynamoDB document client alone', ...row(yardstick), kb(reference.bytes), '1.00', '', ms(yardstickCpu.median), '1.00', '', '', ''],
      ...rows.map(({ fn, summary, ratio, cpuRatio, pass, bytes, lazyBytes, firstUse, firstUseRatio }, i) => [
        fn,
        ...row(summary),
        kb(bytes),
        ratio.toFixed(2),
        verdict(pass),
        ms(measuredCpu[i]!.median),
        cpuRatio.toFixed(2),
        kb(lazyBytes),
        ms(firstUse),
        firstUseRatio.toFixed(2),
      ]),
    ]);
    const customers = rows.find((r) => r.fn === 'customers');
    return [
      { section: 'cold import', figure: `yardstick (document client alone) median (node ${times.nodeVersion})`, value: ms(yardstick.median) },
      ...rows.map(({ fn, summary, ratio, cpuRatio, pass }) => ({
        section: 'cold import',
        figure: `${fn} median / yardstick (CPU time ratio)`,
        value: `${ratio.toFixed(2)} (${ms(summary.median)}; CPU ${cpuRatio.toFixed(2)})`,
        target: `<= ${COLD_IMPORT_RATIO_TARGET}`,
        pass,
      })),
      ...rows.map(({ fn, lazyBytes, firstUse, firstUseRatio }) => ({
        section: 'cold import',
        figure: `${fn} first use (import and every lazy chunk) / yardstick`,
        value: `${firstUseRatio.toFixed(2)} (${ms(firstUse)}; lazy ${kb(lazyBytes)})`,
      })),
      ...(customers
        ? [{ section: 'cold import', figure: 'customers median, as deployed', value: ms(customers.summary.median), target: `<= ${COLD_IMPORT_TARGET_MS} ms`, pass: customers.summary.median <= COLD_IMPORT_TARGET_MS }]
        : []),
    ];
  };
}

const row = (s: Summary) => [ms(s.median), ms(s.p90), ms(s.min), ms(s.max)];
