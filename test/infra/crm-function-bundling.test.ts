import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '#infra/cdk/build-app.ts';
import { CrmFunction } from '#infra/cdk/crm-function.construct.ts';
import { FUNCTIONS } from '#infra/topology.ts';
import { outputsByLoad } from '#infra/bundling.ts';
import { bundleLambda, type LambdaBundle } from '../support/lambda-bundle.ts';

// CrmFunction bundles at synth with infra/bundling.ts's esbuild call, the one the benchmarks and
// the bundle tests use. This synthesizes two functions for real (customers; knowledge, which has
// lazily imported chunks), twice, into two different cdk.out directories, bundles them as the
// benchmarks do, and requires every file each asset holds to be the same: what is measured is
// what `cdk deploy` ships.

const BUNDLED = ['customers', 'knowledge'] as const;
type Bundled = (typeof BUNDLED)[number];
interface Asset {
  readonly hash: string;
  readonly dir: string;
  readonly files: string[];
}

let workDir: string;
let synths: Record<Bundled, Asset>[];
const bundles = {} as Record<Bundled, LambdaBundle>;

/** Synthesizes the functions into outdir; answers each one's asset: hash, directory, files. */
function synthesize(outdir: string): Record<Bundled, Asset> {
  const app = new App({ outdir });
  const stack = new Stack(app, 'Bundled');
  const table = new dynamodb.Table(stack, 'Table', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
  const bus = new events.EventBus(stack, 'Bus');
  const functions = BUNDLED.map((name) => new CrmFunction(stack, name, { name, definition: FUNCTIONS[name], projectRoot: PROJECT_ROOT, table, bus }));
  const assembly = app.synth();
  const template = assembly.getStackByName('Bundled').template as { Resources: Record<string, { Type: string; Properties: any }> };
  const assetOf = (fn: CrmFunction): Asset => {
    const { Properties } = template.Resources[stack.getLogicalId(fn.function.node.defaultChild as CfnFunction)]!;
    expect(Properties).toMatchObject({ Handler: 'index.handler', Runtime: 'nodejs24.x', Architectures: ['arm64'] });
    const hash = String(Properties.Code.S3Key).replace(/\.zip$/, '');
    const dir = join(assembly.directory, `asset.${hash}`);
    const files = readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
      .sort();
    return { hash, dir, files };
  };
  return Object.fromEntries(BUNDLED.map((name, i) => [name, assetOf(functions[i]!)])) as Record<Bundled, Asset>;
}

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'crm-cdk-bundle-'));
  synths = [synthesize(join(workDir, 'cdk.out')), synthesize(join(workDir, 'elsewhere', 'deeper', 'cdk.out'))];
  for (const name of BUNDLED) bundles[name] = await bundleLambda(FUNCTIONS[name].entry, join(workDir, name));
}, 180_000);
afterAll(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe.each(BUNDLED)('the %s function as CDK bundles it', (name) => {
  it('ships every file infra/bundling.ts produces, byte for byte: index.mjs, each chunk and each map', () => {
    const asset = synths[0]![name];
    expect(asset.files).toEqual([...bundles[name].files].sort());
    expect(asset.files).toContain('index.mjs');
    expect(asset.files).toContain('index.mjs.map');
    for (const file of asset.files) {
      expect(readFileSync(join(asset.dir, file)).equals(readFileSync(join(bundles[name].dir, file))), file).toBe(true);
    }
  });

  it('gets the same asset hash wherever cdk.out is', () => {
    expect(synths[1]![name].hash).toBe(synths[0]![name].hash);
  });
});

describe('the knowledge function as CDK bundles it', () => {
  it('holds the lazy chunks the benchmarks count, each beside its source map', () => {
    const asset = synths[0]!.knowledge;
    const lazy = bundles.knowledge.lazyChunks.map((chunk) => relative(bundles.knowledge.dir, chunk).split(sep).join('/'));
    expect(lazy.length).toBeGreaterThan(0);
    for (const chunk of lazy) {
      expect(chunk).toMatch(/^chunks\/.+\.mjs$/);
      expect(asset.files).toContain(chunk);
      expect(asset.files).toContain(`${chunk}.map`);
    }
  });
});

describe('the customers function as CDK bundles it', () => {
  it('starts every code file with the banner and points each at its own source map; the stack-trace mapper is in the cold-start code', () => {
    const { dir, files } = synths[0]!.customers;
    const code = files.filter((file) => file.endsWith('.mjs'));
    expect(code.length).toBeGreaterThan(1);
    for (const file of code) {
      const text = readFileSync(join(dir, file), 'utf8');
      expect(text.startsWith("import { createRequire as crmCreateRequire } from 'node:module';"), file).toBe(true);
      expect(text.endsWith(`//# sourceMappingURL=${file.split('/').pop()}.map\n`), file).toBe(true);
    }
    const coldStart = outputsByLoad(bundles.customers.metafile).eager.map((file) => readFileSync(join(dir, file), 'utf8'));
    expect(coldStart.join('').length).toBeGreaterThan(100_000);
    expect(coldStart.some((text) => text.includes('Error.prepareStackTrace='))).toBe(true);
  });

  it('names sources in its maps by their project paths, as stack traces print them', () => {
    const map = JSON.parse(readFileSync(join(synths[0]!.customers.dir, 'index.mjs.map'), 'utf8')) as { sources: string[] };
    expect(map.sources).toContain(FUNCTIONS.customers.entry);
    expect(map.sources.filter((source) => !/^(?:functions|domain|events|infra|node_modules)\//.test(source))).toEqual([]);
  });
});

/** The module paths a code file imports statically (esbuild's minified `import{...}from"x"` / `import"x"`). */
const staticImports = (code: string) => [...code.matchAll(/(?:^|[;\n])import\s*(?:[\w$\s{},*]*?from\s*)?"([^"]+)"/g)].map((match) => match[1]!);

describe.each(BUNDLED)('the %s function\'s cold-start code as buildLambdaBundle merges it', (name) => {
  it('is index.mjs alone, importing Node builtins only; each lazy chunk imports index.mjs and other lazy chunks, never a file of cold-start code', () => {
    const { dir, files } = synths[0]![name];
    expect(outputsByLoad(bundles[name].metafile).eager).toEqual(['index.mjs']);
    expect(staticImports(readFileSync(join(dir, 'index.mjs'), 'utf8')).filter((path) => !path.startsWith('node:') && !/^[a-z_]+(\/[a-z]+)?$/.test(path))).toEqual([]);
    const lazy = files.filter((file) => file.endsWith('.mjs') && file !== 'index.mjs');
    expect(lazy.length).toBeGreaterThan(0);
    const imports = lazy.map((chunk) => ({ chunk, paths: staticImports(readFileSync(join(dir, chunk), 'utf8')).filter((path) => path.startsWith('.')) }));
    expect(imports.filter(({ paths }) => paths.includes('../index.mjs')).length).toBeGreaterThan(0);
    for (const { chunk, paths } of imports) {
      for (const path of paths) expect([...lazy, 'index.mjs'], `${chunk} imports ${path}`).toContain(join('chunks', path).split(sep).join('/'));
    }
  });

  it('holds every module once: the stack-trace mapper, injected first, is in index.mjs and in no lazy chunk', () => {
    const { dir, files } = synths[0]![name];
    const holding = files.filter((file) => file.endsWith('.mjs') && readFileSync(join(dir, file), 'utf8').includes('Error.prepareStackTrace='));
    expect(holding).toEqual(['index.mjs']);
  });
});

describe('the customers function\'s source maps after the merge', () => {
  /** Where the first occurrence of `text` in a code file of the asset comes from, through the map beside it. */
  const originOf = (file: string, text: string) => {
    const { dir } = synths[0]!.customers;
    const lines = readFileSync(join(dir, file), 'utf8').split('\n');
    const line = lines.findIndex((code) => code.includes(text));
    expect(line, `${text} in ${file}`).toBeGreaterThanOrEqual(0);
    const map = new SourceMap(JSON.parse(readFileSync(join(dir, `${file}.map`), 'utf8')));
    const entry = map.findEntry(line, lines[line]!.indexOf(text));
    return 'originalSource' in entry ? { source: entry.originalSource, line: entry.originalLine + 1 } : undefined;
  };

  it('map index.mjs\'s code and a lazy chunk\'s code to the lines that wrote them', () => {
    const lines = (source: string) => readFileSync(join(PROJECT_ROOT, source), 'utf8').split('\n');
    const stacks = 'functions/shared/source-mapped-stacks.ts';
    expect(originOf('index.mjs', 'Error.prepareStackTrace=')).toEqual({ source: stacks, line: lines(stacks).findIndex((line) => line.startsWith('Error.prepareStackTrace')) + 1 });
    const chunk = synths[0]!.customers.files.find((file) => /^chunks\/profiles\.routes-.+\.mjs$/.test(file))!;
    const routes = 'functions/customers/profiles.routes.ts';
    expect(originOf(chunk, '"GET /customers/{id}"')).toEqual({ source: `../${routes}`, line: lines(routes).findIndex((line) => line.includes("'GET /customers/{id}'")) + 1 });
  });
});
