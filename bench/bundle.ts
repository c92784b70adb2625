import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Metafile } from 'esbuild';
import { buildLambdaBundle, outputsByLoad, writeLambdaBundle } from '#infra/bundling.ts';
import { FUNCTIONS, type FunctionName } from '#infra/topology.ts';
import type { Section } from './context.ts';
import { heading, kb, table, verdict } from './report.ts';

export interface Bundle {
  /** index.mjs, the handler's module. */
  readonly path: string;
  /** The directory the Lambda asset would hold: index.mjs, chunks/ (the lazy ones), a map beside each. */
  readonly dir: string;
  /** Every file in it, relative to it. */
  readonly files: readonly string[];
  /**
   * What a cold start loads: index.mjs, which holds every module loaded before the first request
   * (buildLambdaBundle merges them), not the source maps (read only when a stack trace is formatted).
   */
  readonly bytes: number;
  /** Chunks reached only through import(): loaded by the first request that needs them. */
  readonly lazyBytes: number;
  /** Those chunks' paths. */
  readonly lazyChunks: readonly string[];
  /** All the maps (index.mjs's and each chunk's). */
  readonly sourceMapBytes: number;
  /** gzip of the cold-start files. */
  readonly gzipBytes: number;
  /** Of the final layout (buildLambdaBundle): index.mjs's inputs are all the cold-start inputs. */
  readonly metafile: Metafile;
}

/**
 * Bundles a function entry (relative to root) to outDir/index.mjs (+ chunks/), as the Lambda asset
 * holds it: the same build as CrmFunction's (infra/bundling.ts buildLambdaBundle).
 */
export async function bundleFunction(root: string, entry: string, outDir: string): Promise<Bundle> {
  const result = buildLambdaBundle(root, entry);
  const files = writeLambdaBundle(root, result.outputFiles, outDir);
  // Metafile paths are relative to the project root, where the build laid the files out.
  const { eager, lazy } = outputsByLoad(result.metafile);
  const read = (names: readonly string[]) => names.map((name) => readFileSync(join(outDir, name)));
  const eagerCode = Buffer.concat(read(eager));
  const path = join(outDir, 'index.mjs');
  return {
    path,
    dir: outDir,
    files,
    bytes: eagerCode.byteLength,
    lazyBytes: read(lazy).reduce((sum, code) => sum + code.byteLength, 0),
    lazyChunks: lazy.map((name) => join(outDir, name)),
    sourceMapBytes: files.filter((name) => name.endsWith('.map')).reduce((sum, name) => sum + statSync(join(outDir, name)).size, 0),
    gzipBytes: gzipSync(eagerCode).byteLength,
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

/** Every input esbuild put in the bundle, cold-start files and lazy chunks (paths relative to the project root). */
export function bundledInputs(metafile: Metafile): string[] {
  return [...new Set(Object.values(metafile.outputs).flatMap((output) => Object.keys(output.inputs)))];
}

/** The inputs a cold start compiles: those of index.mjs and the chunks it imports statically. */
export function coldStartInputs(metafile: Metafile): string[] {
  return [...new Set(outputInputs(metafile).map(([file]) => file))];
}

/** Inputs of the cold-start files (entry and static chunks), with their bytes in that output. */
function outputInputs(metafile: Metafile): [string, number][] {
  return outputsByLoad(metafile).eager.flatMap((file) =>
    Object.entries(metafile.outputs[file]!.inputs).map(([input, { bytesInOutput }]): [string, number] => [input, bytesInOutput]),
  );
}

const rank = (items: Contribution[], limit: number) => items.sort((a, b) => b.bytes - a.bytes).slice(0, limit);

export const BUNDLE_TARGET_BYTES = 250 * 1024;

export function bundleSizeSection(fn: FunctionName): Section {
  return async (context) => {
    heading(`Bundle size: ${fn} (${FUNCTIONS[fn].entry})`);
    const bundle = await context.bundle(fn);
    const pass = bundle.bytes <= BUNDLE_TARGET_BYTES;
    table([
      ['minified, cold start: index.mjs and the chunks it imports', `${bundle.bytes.toLocaleString('en')} B`, kb(bundle.bytes), `target <= ${kb(BUNDLE_TARGET_BYTES)}`, verdict(pass)],
      ['minified, lazy: chunks only import() reaches (info)', `${bundle.lazyBytes.toLocaleString('en')} B`, kb(bundle.lazyBytes)],
      ['gzip of the cold-start code (info)', `${bundle.gzipBytes.toLocaleString('en')} B`, kb(bundle.gzipBytes)],
      ['source maps (info)', `${bundle.sourceMapBytes.toLocaleString('en')} B`, kb(bundle.sourceMapBytes)],
    ]);
    if (!pass) {
      console.log('\n  Over target. Heaviest inputs (bytes in the minified output):');
      table(heaviestInputs(bundle.metafile).map(({ name, bytes }) => [kb(bytes), name]), '    ');
      console.log('\n  Heaviest packages:');
      table(heaviestPackages(bundle.metafile).map(({ name, bytes }) => [kb(bytes), name]), '    ');
    }
    return [
      { section: 'bundle', figure: `${fn} minified, cold start`, value: kb(bundle.bytes), target: `<= ${kb(BUNDLE_TARGET_BYTES)}`, pass },
      { section: 'bundle', figure: `${fn} minified, lazy chunks`, value: kb(bundle.lazyBytes) },
      { section: 'bundle', figure: `${fn} gzip`, value: kb(bundle.gzipBytes) },
    ];
  };
}
