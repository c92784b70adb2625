import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { REQUEST_VALIDATORS_MODULE, requestValidatorsSource } from './build/request-validators.ts';

// The console's build: esbuild bundles web/src/main.tsx (ESM, code splitting so that lazily
// imported screens and Chart.js stay out of the first screen, minified, hashed names that can be
// cached forever) into `outdir`, writes index.html pointing at the hashed entry files, and copies
// web/public/ (config.json at deploy time) beside them. Runnable: `npm run build` -> web/dist.

const WEB = dirname(fileURLToPath(import.meta.url));
export const DEFAULT_OUTDIR = join(WEB, 'dist');

const requestValidators: esbuild.Plugin = {
  name: 'request-validators',
  setup(build) {
    build.onResolve({ filter: new RegExp(`^${REQUEST_VALIDATORS_MODULE}$`) }, () => ({ path: REQUEST_VALIDATORS_MODULE, namespace: 'generated' }));
    // resolveDir: the generated code requires Ajv's runtime helpers from node_modules.
    build.onLoad({ filter: /.*/, namespace: 'generated' }, () => ({ contents: requestValidatorsSource(), loader: 'js', resolveDir: WEB }));
  },
};

export async function buildWeb(options: { outdir: string; minify?: boolean }): Promise<{ outdir: string; files: string[] }> {
  const outdir = resolve(options.outdir);
  await rm(outdir, { recursive: true, force: true });
  await mkdir(outdir, { recursive: true });
  const result = await esbuild.build({
    entryPoints: { main: join(WEB, 'src/main.tsx') },
    outdir: join(outdir, 'assets'),
    bundle: true,
    format: 'esm',
    splitting: true,
    minify: options.minify ?? true,
    sourcemap: false,
    target: ['es2022', 'chrome111', 'firefox114', 'safari16.4'],
    entryNames: '[name]-[hash]',
    chunkNames: 'chunk-[hash]',
    assetNames: '[name]-[hash]',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    tsconfig: join(WEB, 'tsconfig.json'),
    metafile: true,
    legalComments: 'none',
    logLevel: 'warning',
    define: { 'process.env.NODE_ENV': '"production"' },
    plugins: [requestValidators],
  });
  const entry = Object.entries(result.metafile.outputs).find(([, output]) => output.entryPoint?.endsWith('src/main.tsx'));
  if (!entry) throw new Error('esbuild produced no entry for web/src/main.tsx');
  const [mainJs, mainOutput] = entry;
  const url = (file: string) => `./${relative(outdir, resolve(file)).split('\\').join('/')}`;
  const template = await readFile(join(WEB, 'index.html'), 'utf8');
  const html = template
    .replace('%MAIN_JS%', url(mainJs))
    .replace(mainOutput.cssBundle ? '%MAIN_CSS%' : /<link rel="stylesheet" href="%MAIN_CSS%">\n/, mainOutput.cssBundle ? url(mainOutput.cssBundle) : '');
  await writeFile(join(outdir, 'index.html'), html);
  if (existsSync(join(WEB, 'public'))) await cp(join(WEB, 'public'), outdir, { recursive: true });
  const files = ['index.html', ...Object.keys(result.metafile.outputs).map((file) => relative(outdir, resolve(file)).split('\\').join('/'))];
  return { outdir, files };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  const { outdir, files } = await buildWeb({ outdir: process.argv[2] ?? DEFAULT_OUTDIR });
  console.log(`console built into ${relative(process.cwd(), outdir) || '.'} (${files.length} files) in ${Math.round(performance.now() - started)} ms`);
}
