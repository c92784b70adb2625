import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type BuildOptions, build, type Metafile } from 'esbuild';
import { lambdaEsbuildOptions } from '#infra/bundling.ts';
import { FUNCTIONS, type FunctionName } from '#infra/topology.ts';
import type { Section } from './context.ts';
import { heading, kb, table, verdict } from './report.ts';

export interface Bundle {
  readonly path: string;
  /** index.mjs only; the source map beside it is read only when a stack trace is formatted. */
  readonly bytes: number;
  readonly sourceMapBytes: number;
  readonly gzipBytes: number;
  readonly metafile: Metafile;
}

/** Bundles a function entry (relative to root) to outDir/index.mjs, as the Lambda asset would hold it. */
export async function bundleFunction(root: string, entry: string, outDir: string): Promise<Bundle> {
  const path = join(outDir, 'index.mjs');
  const options = lambdaEsbuildOptions(root);
  const result = await build({
    ...options,
    mainFields: [...options.mainFields],
    absWorkingDir: root,
    entryPoints: [join(root, entry)],
    outfile: path,
    metafile: true,
    logLevel: 'warning',
  });
  const code = readFileSync(path);
  return {
    path,
    bytes: code.byteLength,
    sourceMapBytes: statSync(`${path}.map`).size,
    gzipBytes: gzipSync(code).byteLength,
    metafile: result.metafile,
  };
}

export interface Contribution {
  readonly name: string;
  readonly bytes: number;
}

/** Bytes each input file contributes to the minified output, largest first. */
export function heaviestInputs(metafile: Metafile, limit = 10): Contribution[] {
  return rank(outputInputs(metafile).map(([name, bytes]) => ({ name, bytes })), limit);
}

/** The same, summed per npm package (project files grouped by top-level folder). */
export function heaviestPackages(metafile: Metafile, limit = 10): Contribution[] {
  const sums = new Map<string, number>();
  for (const [file, bytes] of outputInputs(metafile)) {
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1] ?? `(project) ${file.split('/')[0]}/`;
    sums.set(pkg, (sums.get(pkg) ?? 0) + bytes);
  }
  return rank([...sums].map(([name, bytes]) => ({ name, bytes })), limit);
}

/** Every input esbuild put in the bundle (paths relative to the project root). */
export function bundledInputs(metafile: Metafile): string[] {
  return outputInputs(metafile).map(([file]) => file);
}

function outputInputs(metafile: Metafile): [string, number][] {
  const output = Object.entries(metafile.outputs).find(([file]) => file.endsWith('.mjs'))?.[1];
  if (!output) throw new Error('metafile has no .mjs output');
  return Object.entries(output.inputs).map(([file, { bytesInOutput }]) => [file, bytesInOutput]);
}

const rank = (items: Contribution[], limit: number) => items.sort((a, b) => b.bytes - a.bytes).slice(0, limit);

export const BUNDLE_TARGET_BYTES = 250 * 1024;

export function bundleSizeSection(fn: FunctionName): Section {
  return async (context) => {
    heading(`Bundle size: ${fn} (${FUNCTIONS[fn].entry})`);
    const bundle = await context.bundle(fn);
    const pass = bundle.bytes <= BUNDLE_TARGET_BYTES;
    table([
      ['minified', `${bundle.bytes.toLocaleString('en')} B`, kb(bundle.bytes), `target <= ${kb(BUNDLE_TARGET_BYTES)}`, verdict(pass)],
      ['gzip (info)', `${bundle.gzipBytes.toLocaleString('en')} B`, kb(bundle.gzipBytes)],
      ['source map (info)', `${bundle.sourceMapBytes.toLocaleString('en')} B`, kb(bundle.sourceMapBytes)],
    ]);
    if (!pass) {
      console.log('\n  Over target. Heaviest inputs (bytes in the minified output):');
      table(heaviestInputs(bundle.metafile).map(({ name, bytes }) => [kb(bytes), name]), '    ');
      console.log('\n  Heaviest packages:');
      table(heaviestPackages(bundle.metafile).map(({ name, bytes }) => [kb(bytes), name]), '    ');
    }
    return [
      { section: 'bundle', figure: `${fn} minified`, value: kb(bundle.bytes), target: `<= ${kb(BUNDLE_TARGET_BYTES)}`, pass },
      { section: 'bundle', figure: `${fn} gzip`, value: kb(bundle.gzipBytes) },
    ];
  };
}
