import { execFile } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { COLD_IMPORT_RATIO_TARGET, lambdaNode } from './cold-start.ts';
import type { Section } from './context.ts';
import { startFakeSsm } from './fake-ssm.ts';
import { heading, kb, ms, table } from './report.ts';
import { type Summary, summarize } from './stats.ts';

const run = promisify(execFile);

// Issue 14: the token functions read their link-token keys on the first token they sign or check
// (functions/shared/token-keys.ts, hmac-tokens.ts), not at cold start. This measures both ends in
// fresh processes: the cold import of the signer wired as they wire it (the yardstick plus the
// signer, the SSM client a lazy chunk) against the yardstick alone, and what the first token then
// costs: compiling the SSM chunk, building the client, one GetParameter (bench/fake-ssm.ts answers
// on localhost: on Lambda add one in-region round trip, ~10-30 ms), validating the ring, the HMAC.

interface Sample {
  readonly importMs: number;
  /** CPU time (user + system) of the import: on a loaded machine steadier than wall time. */
  readonly importCpuMs: number;
  /** Each handler call after the import, in order. */
  readonly callsMs: readonly number[];
  readonly callsCpuMs: readonly number[];
}

/** Imports the bundle in a fresh process, then calls its handler `calls` times, each timed. */
async function importThenCall(root: string, bundlePath: string, env: Readonly<Record<string, string>>, calls: number): Promise<Sample> {
  const script = [
    'const cpu = (since) => { const u = process.cpuUsage(since); return (u.user + u.system) / 1000; };',
    'const c0 = process.cpuUsage();',
    'const t0 = performance.now();',
    `const m = await import(${JSON.stringify(pathToFileURL(bundlePath).href)});`,
    'const importMs = performance.now() - t0;',
    'const importCpuMs = cpu(c0);',
    'const callsMs = [];',
    'const callsCpuMs = [];',
    `for (let i = 0; i < ${calls}; i++) { const c = process.cpuUsage(); const t = performance.now(); await m.handler(); callsMs.push(performance.now() - t); callsCpuMs.push(cpu(c)); }`,
    'console.log(JSON.stringify({ importMs, importCpuMs, callsMs, callsCpuMs }));',
  ].join('\n');
  const { stdout } = await run(lambdaNode(root), ['--input-type=module', '-e', script], { env: { ...env }, timeout: 30_000 });
  return JSON.parse(stdout) as Sample;
}

export function tokenKeysColdImportSection(runs = 20): Section {
  return async (context) => {
    heading(`Token keys on first use: cold import and the first token, median of ${runs} fresh processes`);
    const [yardstick, signer] = await Promise.all([context.bundleEntry('bench/reference/document-client.lambda.ts'), context.bundleEntry('bench/reference/token-signer.lambda.ts')]);
    const ssm = await startFakeSsm();
    const env = { TABLE_NAME: 'bench', AWS_REGION: 'us-east-1', ...ssm.env };
    const base: number[] = [];
    const baseCpu: number[] = [];
    const withSigner: number[] = [];
    const withSignerCpu: number[] = [];
    const first: number[] = [];
    const firstCpu: number[] = [];
    const second: number[] = [];
    try {
      // One discarded run of each (a cold disk cache), then the two take turns.
      await importThenCall(context.root, yardstick.path, env, 0);
      await importThenCall(context.root, signer.path, env, 2);
      for (let i = 0; i < runs; i++) {
        const reference = await importThenCall(context.root, yardstick.path, env, 0);
        base.push(reference.importMs);
        baseCpu.push(reference.importCpuMs);
        const sample = await importThenCall(context.root, signer.path, env, 2);
        withSigner.push(sample.importMs);
        withSignerCpu.push(sample.importCpuMs);
        first.push(sample.callsMs[0]!);
        firstCpu.push(sample.callsCpuMs[0]!);
        second.push(sample.callsMs[1]!);
      }
    } finally {
      await ssm.close();
    }
    const [b, s, f, w, bc, sc, fc] = [base, withSigner, first, second, baseCpu, withSignerCpu, firstCpu].map(summarize) as [Summary, Summary, Summary, Summary, Summary, Summary, Summary];
    const ratio = s.median / b.median;
    console.log(`  cold-start bundles ${kb(yardstick.bytes)} and ${kb(signer.bytes)}; the SSM chunk(s) ${kb(signer.lazyBytes)}, loaded by the first token; GetParameter answered on localhost`);
    table([
      ['', 'median', 'p90', 'min', 'CPU median'],
      ['cold import: DynamoDB document client alone', ms(b.median), ms(b.p90), ms(b.min), ms(bc.median)],
      ['cold import: + token signer (SSM on first use)', ms(s.median), ms(s.p90), ms(s.min), ms(sc.median)],
      ['first token: SSM chunk, client, GetParameter, ring, HMAC', ms(f.median), ms(f.p90), ms(f.min), ms(fc.median)],
      ['second token: HMAC only', ms(w.median), ms(w.p90), ms(w.min), ''],
    ]);
    return [
      {
        section: 'token keys',
        figure: 'cold import with the token signer / yardstick (SSM off the cold path)',
        value: `${ratio.toFixed(2)} (${ms(s.median)} against ${ms(b.median)}; CPU ${(sc.median / bc.median).toFixed(2)})`,
        target: `<= ${COLD_IMPORT_RATIO_TARGET}`,
        pass: ratio <= COLD_IMPORT_RATIO_TARGET,
      },
      { section: 'token keys', figure: 'cold-start bytes the signer adds / its lazy SSM chunk(s)', value: `${kb(signer.bytes - yardstick.bytes)} / ${kb(signer.lazyBytes)}` },
      { section: 'token keys', figure: "a container's first token (local GetParameter; add one round trip on AWS), median", value: `${ms(f.median)} (CPU ${ms(fc.median)})` },
      { section: 'token keys', figure: 'every later token, median', value: ms(w.median) },
    ];
  };
}
