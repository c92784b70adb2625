import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { type BuildOptions, buildSync, type Metafile, type OutputFile } from 'esbuild';

// How every Lambda is bundled: one definition, read by CrmFunction (infra/cdk) and by the
// benchmarks, so the figures are measured on exactly what ships.

export const LAMBDA_BANNER =
  "import { createRequire as crmCreateRequire } from 'node:module'; const require = crmCreateRequire(import.meta.url);";

/**
 * Modules run first in every bundle. functions/shared/source-mapped-stacks.ts maps stack traces
 * through the source map when one is formatted, in place of NODE_OPTIONS=--enable-source-maps,
 * which would parse the map on every cold start.
 */
export function lambdaInjects(projectRoot: string): string[] {
  return [join(projectRoot, 'functions/shared/source-mapped-stacks.ts')];
}

/**
 * Node builtins the bundle loads as CommonJS (functions/shared/node-builtins). Importing a builtin
 * as an ES module builds its namespace from every export, which runs the module's lazy getters:
 * `process` (the SDK's user-agent code imports it) costs ~14 ms that way and ~0.2 ms through
 * require, `crypto` ~10 ms (it loads WebCrypto), `fs` ~5 ms (its stream classes). `stream/web`
 * (imported by @middy/core) loads Node's web streams, ~2 ms: its shim reads each export when it is
 * first used. esbuild aliases match path prefixes, so `fs/promises` needs its own entry next to `fs`.
 */
const COMMONJS_BUILTINS = ['process', 'crypto', 'fs', 'fs/promises', 'stream/web'] as const;

/**
 * Modules replaced at bundle time. Lambda hands the function its role's credentials in
 * environment variables, so the SDK's default credential chain (SSO, STS, ini files, IMDS,
 * process) is swapped for the environment provider alone: ~135 KB less to load on cold start.
 * The LRU cache of endpoint discovery is a small Map-based one instead of mnemonist (~5 KB).
 * lib-dynamodb's index is one whose paginators a bundle drops when nothing pages. And the builtins
 * above come in through require.
 */
export function lambdaAliases(projectRoot: string): Record<string, string> {
  const builtins = COMMONJS_BUILTINS.flatMap((name) => {
    const shim = join(projectRoot, 'functions/shared/node-builtins', `${name.replace('/', '-')}.cjs`);
    return [
      [name, shim],
      [`node:${name}`, shim],
    ];
  });
  return {
    '@aws-sdk/credential-provider-node': join(projectRoot, 'functions/shared/lambda-credentials.ts'),
    // endpoint discovery's LRU cache (off for DynamoDB unless enabled): a Map instead of mnemonist.
    'mnemonist/lru-cache': join(projectRoot, 'functions/shared/lru-cache.ts'),
    // lib-dynamodb's index with its paginators droppable (~2 KB of Query/Scan code a function need not load).
    '@aws-sdk/lib-dynamodb': join(projectRoot, 'functions/shared/lib-dynamodb-index.mjs'),
    ...Object.fromEntries(builtins),
  };
}

/** esbuild options of every function (lambdaBuildOptions adds the entry and the layout). */
export function lambdaEsbuildOptions(projectRoot: string) {
  return {
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    // Code reached only through import() goes to its own chunk beside index.mjs, loaded when first
    // used: a route's code (and the libraries only it needs) costs nothing at cold start.
    splitting: true,
    entryNames: 'index',
    chunkNames: 'chunks/[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    minify: true,
    treeShaking: true,
    external: [] as string[],
    // Prefer the ESM builds of dependencies (the AWS SDK ships both): better tree shaking.
    mainFields: ['module', 'main'],
    sourcemap: true,
    sourcesContent: false,
    legalComments: 'none',
    alias: lambdaAliases(projectRoot),
    inject: lambdaInjects(projectRoot),
    banner: { js: LAMBDA_BANNER },
  } as const;
}

/**
 * The whole esbuild call for one function: lambdaEsbuildOptions, its entry and where the files go.
 * CrmFunction (buildSync at synth) and the benchmarks and tests (build) both run exactly this.
 *
 * Laid out against the project root and not written (`write: false`): the source maps' paths are
 * relative to the output directory, and each chunk's hashed name covers its map, so written to
 * wherever cdk.out happens to be, the same commit would ship differently named chunks (a new asset
 * hash, a needless update of every function). `writeLambdaBundle` puts the files where they go.
 * The maps then name sources as `functions/...` and `node_modules/...`, which is also what
 * functions/shared/source-mapped-stacks.ts prints.
 */
export function lambdaBuildOptions(projectRoot: string, entry: string) {
  const options = lambdaEsbuildOptions(projectRoot);
  return {
    ...options,
    mainFields: [...options.mainFields],
    outExtension: { ...options.outExtension },
    absWorkingDir: projectRoot,
    entryPoints: [join(projectRoot, entry)],
    outdir: projectRoot,
    write: false,
    logLevel: 'warning',
  } satisfies BuildOptions;
}

/**
 * Writes what a `lambdaBuildOptions` build produced (index.mjs, chunks/, each with its map) under
 * outDir, as the Lambda asset holds them; answers their paths relative to outDir.
 */
export function writeLambdaBundle(projectRoot: string, files: readonly LambdaFile[], outDir: string): string[] {
  return files.map((file) => {
    const name = relative(projectRoot, file.path);
    if (name.startsWith('..')) throw new Error(`esbuild placed ${file.path} outside its output directory`);
    mkdirSync(dirname(join(outDir, name)), { recursive: true });
    writeFileSync(join(outDir, name), file.contents);
    return name.split('\\').join('/');
  });
}

/** One file of a built bundle, laid out against the project root (as esbuild's OutputFile). */
export type LambdaFile = Pick<OutputFile, 'path' | 'contents'>;

export interface LambdaBundleBuild {
  readonly outputFiles: readonly LambdaFile[];
  /** The final layout's metafile: index.mjs's inputs are every input a cold start compiles. */
  readonly metafile: Metafile;
}

/**
 * A function's bundle as it ships: `lambdaBuildOptions`' split build, then its cold-start code
 * merged into the one file index.mjs. CrmFunction (buildSync at synth), the benchmarks and the
 * bundle tests all call this.
 *
 * Why: esbuild puts each module in a chunk per set of entry points that reach it, and every
 * import() target is an entry point, so the modules every request needs but some lazy area also
 * uses land in many small static chunks (9-17 files per API function). Node pays for each ES module
 * file it loads (resolve, read, link, compile as its own script): a function flattened into one
 * file starts with ~12% less CPU than the same code split. esbuild cannot be told where to put a
 * module, so the split build's outputs are bundled again:
 *
 * 1. The split build (its metafile names each output's imports and exports).
 * 2. index.mjs and the chunks it imports statically are bundled into one index.mjs from an entry
 *    that re-exports the handler's exports and each static chunk's exports under a prefixed name
 *    (`c3$a` for chunk 3's `a`): esbuild hoists them into one scope, bindings stay live, one copy of
 *    every module. The lazy chunks stay external: their import() stays as it was.
 * 3. Each lazy chunk is bundled again with index.mjs and the other lazy chunks external, and its
 *    imports of static chunks answered by stand-ins: each static chunk's file becomes a module that
 *    re-exports every name from a module of its own (`export { c3$a as a } from "../index.mjs"`),
 *    all marked side-effect free. esbuild keeps every name of an import from an external module,
 *    used or not, so one module per name is what lets a chunk import only the names it uses
 *    (sales' lazy chunks: 250 KB as split, 280 KB with one stand-in per chunk, 251 KB so).
 *    A lazy chunk thus imports the module Lambda loaded as the handler (same URL, same instance):
 *    error classes, `once` caches, the table client and the metrics buffer stay one per container.
 *
 * esbuild reads each input's source map (sourceMappingURL), so the final maps still name
 * `functions/...`. The banner is stripped from the inputs (replaced by an empty line, so their maps
 * stay aligned) and added once per output; nothing is injected again. The intermediate files go to
 * a temporary directory with their maps' sources rewritten to the project's files; outputs are laid
 * out against the project root as before, so the bytes (and the asset hash) do not depend on where
 * either is. Lazy chunks keep the split build's names. Plugins would spare the temporary files, but
 * esbuild's synchronous API, which CDK's local bundling needs, takes none.
 */
export function buildLambdaBundle(projectRoot: string, entry: string): LambdaBundleBuild {
  const split = buildSync({ ...lambdaBuildOptions(projectRoot, entry), metafile: true });
  const { eager, lazy } = outputsByLoad(split.metafile);
  if (eager.length === 1) return split;
  const work = mkdtempSync(join(tmpdir(), 'crm-lambda-bundle-'));
  try {
    for (const file of split.outputFiles) {
      const name = relative(projectRoot, file.path);
      const to = join(work, name);
      mkdirSync(dirname(to), { recursive: true });
      writeFileSync(to, name.endsWith('.map') ? rebasedMap(file, to) : withoutBanner(file.text, name));
    }
    const [index, ...chunks] = eager;
    const prefix = new Map(chunks.map((chunk, i) => [chunk, `c${i}$`]));
    const exportsOf = (name: string) => split.metafile.outputs[name]!.exports;
    const mergeEntry = join(work, 'merge-entry.mjs');
    writeFileSync(
      mergeEntry,
      [
        `export { ${exportsOf(index!).join(', ')} } from ${JSON.stringify(`./${index}`)};`,
        ...chunks.map((chunk) => `export { ${exportsOf(chunk).map((name) => `${name} as ${prefix.get(chunk)}${name}`).join(', ')} } from ${JSON.stringify(`./${chunk}`)};`),
      ].join('\n'),
    );
    const merged = buildSync({ ...mergeBuildOptions(work, work, lazy.map((name) => join(work, name))), entryPoints: [{ in: mergeEntry, out: 'index' }] });
    // The static chunks' files become the modules lazy chunks find in their place. They have no
    // side effects of their own (index.mjs ran them), so a lazy chunk's bare import of one
    // (`import "./chunk-X.mjs"`, for its side effects) is dropped instead of importing every name.
    writeFileSync(join(work, 'package.json'), JSON.stringify({ sideEffects: false }));
    for (const chunk of chunks) {
      const fromIndex = JSON.stringify(relative(dirname(join(work, chunk)), join(work, index!)));
      const leaves = exportsOf(chunk).map((name, i) => {
        writeFileSync(join(work, `${chunk}.${i}.mjs`), `export { ${prefix.get(chunk)}${name} as ${name} } from ${fromIndex};`);
        return `export { ${name} } from ${JSON.stringify(`./${basename(chunk)}.${i}.mjs`)};`;
      });
      writeFileSync(join(work, chunk), leaves.join('\n'));
    }
    // Every lazy chunk is in chunks/ (chunkNames), where esbuild lays out their imports from.
    if (lazy.some((name) => dirname(name) !== 'chunks')) throw new Error(`a lazy chunk outside chunks/: ${lazy.join(', ')}`);
    const rebuilt = lazy.length === 0 ? undefined : buildSync({
      ...mergeBuildOptions(work, join(work, 'chunks'), [...lazy, index!].map((name) => join(work, name))),
      entryPoints: lazy.map((name) => ({ in: join(work, name), out: relative('chunks', name).replace(/\.mjs$/, '') })),
    });
    return {
      outputFiles: [...merged.outputFiles, ...(rebuilt?.outputFiles ?? [])].map((file) => relocated(file, work, projectRoot, index!)),
      metafile: finalMetafile(split.metafile, eager, lazy, [merged.metafile, rebuilt?.metafile]),
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * The split build's code outputs (paths relative to the project root): index.mjs first and the
 * chunks it reaches through static imports (`eager`), then the chunks only import() reaches (`lazy`).
 */
export function outputsByLoad(metafile: Metafile): { eager: string[]; lazy: string[] } {
  const code = Object.keys(metafile.outputs).filter((file) => file.endsWith('.mjs'));
  // The entry is index.mjs (entryNames): esbuild also gives each chunk that import() reaches an
  // entryPoint, so that field alone cannot tell the entry from a lazily loaded chunk.
  const entry = code.find((file) => metafile.outputs[file]!.entryPoint !== undefined && /(^|\/)index\.mjs$/.test(file));
  if (!entry) throw new Error('metafile has no entry output');
  const eager = new Set<string>();
  const visit = (file: string) => {
    if (eager.has(file)) return;
    eager.add(file);
    for (const imported of metafile.outputs[file]!.imports) if (imported.kind === 'import-statement' && !imported.external) visit(imported.path);
  };
  visit(entry);
  return { eager: [...eager], lazy: code.filter((file) => !eager.has(file)) };
}

/**
 * The second and third passes: the first's options, but one output per entry, nothing injected or
 * aliased, in the directory the split build's files were copied to. esbuild writes the path of an
 * external file relative to outdir, so outdir is where the output goes (the root for index.mjs,
 * chunks/ for the lazy chunks): `./chunks/x.mjs` stays `./chunks/x.mjs`, `./x.mjs` stays `./x.mjs`.
 */
function mergeBuildOptions(dir: string, outdir: string, external: string[]) {
  const { bundle, platform, target, format, outExtension, minify, treeShaking, mainFields, sourcemap, sourcesContent, legalComments, banner } =
    lambdaEsbuildOptions(dir);
  return {
    ...{ bundle, platform, target, format, minify, treeShaking, sourcemap, sourcesContent, legalComments, banner },
    mainFields: [...mainFields],
    outExtension: { ...outExtension },
    external,
    absWorkingDir: dir,
    outdir,
    write: false,
    metafile: true,
    logLevel: 'warning',
    // The stand-ins for static chunks are marked side-effect free (see buildLambdaBundle).
    logOverride: { 'ignored-bare-import': 'silent' },
  } satisfies BuildOptions;
}

/** The code without the banner, which the merged output gets once: an empty first line keeps its map aligned. */
function withoutBanner(code: string, name: string): string {
  if (!code.startsWith(`${LAMBDA_BANNER}\n`)) throw new Error(`${name} does not start with the bundle banner`);
  return code.slice(LAMBDA_BANNER.length);
}

/** A split-build map copied to `to`: its sources still name the project's files from there. */
function rebasedMap(file: OutputFile, to: string): string {
  const map = JSON.parse(file.text) as { sources: string[] };
  map.sources = map.sources.map((source) => relative(dirname(to), resolve(dirname(file.path), source)).split('\\').join('/'));
  return JSON.stringify(map);
}

/**
 * An output of the merge passes laid out against the project root, its map's sources named from
 * there. The only sources left in the temporary directory are the stand-ins for static chunks (a
 * lazy chunk's import statements come from them): they name index.mjs, whose exports they import.
 */
function relocated(file: OutputFile, work: string, projectRoot: string, index: string): LambdaFile {
  const path = join(projectRoot, relative(work, file.path));
  if (!path.endsWith('.map')) return { path, contents: file.contents };
  const map = JSON.parse(file.text) as { sources: string[] };
  map.sources = map.sources.map((source) => {
    const from = resolve(dirname(file.path), source);
    const named = relative(work, from).startsWith('..') ? from : join(projectRoot, index);
    return relative(dirname(path), named).split('\\').join('/');
  });
  return { path, contents: Buffer.from(JSON.stringify(map)) };
}

/**
 * The metafile of the final layout, for the benchmarks and the bundle tests: index.mjs holds the
 * inputs of every static output of the split build (their bytes as the split build counted them),
 * imports what they imported beyond each other; each lazy chunk keeps its inputs and imports
 * index.mjs where it imported a static chunk.
 */
function finalMetafile(
  split: Metafile,
  eager: readonly string[],
  lazy: readonly string[],
  passes: readonly (Metafile | undefined)[],
): Metafile {
  const index = eager[0]!;
  const built = Object.assign({}, ...passes.map((pass) => pass?.outputs)) as Metafile['outputs'];
  const final = (name: string) => {
    const output = built[name];
    if (!output) throw new Error(`the merged build wrote no ${name} (it wrote ${Object.keys(built).join(', ')})`);
    return output;
  };
  const merged = final(index);
  const importKey = (imported: { path: string; kind: string }) => `${imported.kind} ${imported.path}`;
  const dedupe = <T extends { path: string; kind: string }>(imports: T[]) => [...new Map(imports.map((i) => [importKey(i), i])).values()];
  const outputs: Metafile['outputs'] = {};
  outputs[index] = {
    ...merged,
    entryPoint: split.outputs[index]!.entryPoint,
    inputs: Object.fromEntries(eager.flatMap((name) => Object.entries(split.outputs[name]!.inputs))),
    imports: dedupe(eager.flatMap((name) => split.outputs[name]!.imports.filter((imported) => !eager.includes(imported.path)))),
  };
  for (const name of lazy) {
    outputs[name] = {
      ...split.outputs[name]!,
      bytes: final(name).bytes,
      imports: dedupe(split.outputs[name]!.imports.map((imported) => (eager.includes(imported.path) ? { path: index, kind: imported.kind } : imported))),
    };
  }
  for (const name of [index, ...lazy]) outputs[`${name}.map`] = { ...split.outputs[`${name}.map`]!, bytes: final(`${name}.map`).bytes };
  return { inputs: split.inputs, outputs };
}
