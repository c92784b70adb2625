import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { BuildOptions, OutputFile } from 'esbuild';

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
export function writeLambdaBundle(projectRoot: string, files: readonly OutputFile[], outDir: string): string[] {
  return files.map((file) => {
    const name = relative(projectRoot, file.path);
    if (name.startsWith('..')) throw new Error(`esbuild placed ${file.path} outside its output directory`);
    mkdirSync(dirname(join(outDir, name)), { recursive: true });
    writeFileSync(join(outDir, name), file.contents);
    return name.split('\\').join('/');
  });
}
