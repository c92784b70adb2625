import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWeb } from '../../web/build.ts';

// The console's performance budget, checked on the files a deployment uploads (buildWeb, minified,
// as at synth): the JavaScript the first screen needs (the entry chunk and everything it imports
// statically; lazily imported screens and Chart.js load later) at most 150 KB gzipped, and the
// Lighthouse-style rules a static app can be held to without a browser.

/** Issue 15: the first screen's JavaScript, gzipped. */
const FIRST_SCREEN_JS_GZIP_BUDGET = 150_000;
/** All CSS, gzipped: one small file per area, no framework. */
const CSS_GZIP_BUDGET = 20_000;
/** esbuild's [hash]: 8 characters of base32. */
const HASHED = /-[A-Z0-9]{8}\.(?:js|css)$/;

const gzipSize = (file: string) => gzipSync(readFileSync(file), { level: 9 }).length;

describe('the console bundle budget', () => {
  let outdir: string;
  let metafile: Metafile;
  let entry: string;
  let firstScreen: string[];

  beforeAll(async () => {
    outdir = mkdtempSync(path.join(tmpdir(), 'console-budget-'));
    ({ metafile } = await buildWeb({ outdir, minify: true }));
    entry = Object.keys(metafile.outputs).find((file) => metafile.outputs[file]!.entryPoint?.endsWith('web/src/main.tsx'))!;
    firstScreen = staticClosure(metafile, entry);
  }, 300_000);

  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it(`keeps the first screen's JavaScript within ${FIRST_SCREEN_JS_GZIP_BUDGET / 1000} KB gzip`, () => {
    expect(entry).toBeDefined();
    const sizes = firstScreen.filter((file) => file.endsWith('.js')).map((file) => ({ file: path.basename(file), gzip: gzipSize(file), raw: statSync(file).size }));
    const total = sizes.reduce((sum, s) => sum + s.gzip, 0);
    const lazy = Object.keys(metafile.outputs).filter((file) => file.endsWith('.js') && !firstScreen.includes(file));
    console.log(
      `first screen: ${(total / 1000).toFixed(1)} KB gzip in ${sizes.length} files (${(sizes.reduce((s, f) => s + f.raw, 0) / 1000).toFixed(1)} KB minified); ` +
        `${lazy.length} lazy chunks, ${(lazy.reduce((s, f) => s + gzipSize(f), 0) / 1000).toFixed(1)} KB gzip`,
    );
    expect(total).toBeGreaterThan(0);
    expect(total, JSON.stringify(sizes)).toBeLessThanOrEqual(FIRST_SCREEN_JS_GZIP_BUDGET);
  });

  it('keeps Chart.js out of the first screen (the screens that chart import it lazily)', () => {
    const charted = (file: string) => Object.keys(metafile.outputs[file]!.inputs).filter((input) => input.includes('node_modules/chart.js/'));
    expect(firstScreen.flatMap(charted)).toEqual([]);
    const lazyCharts = Object.keys(metafile.outputs).filter((file) => charted(file).length > 0);
    console.log(`Chart.js: ${lazyCharts.length ? `in ${lazyCharts.length} lazy chunk(s)` : 'not used by any screen yet'}`);
  });

  it('has index.html load only hashed files of the build, as a module script and a stylesheet', () => {
    const html = readFileSync(path.join(outdir, 'index.html'), 'utf8');
    const references = [...html.matchAll(/\s(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(references.length).toBeGreaterThan(0);
    for (const reference of references) {
      expect(reference, 'a file of this build, not another origin').toMatch(/^\.\//);
      expect(reference, 'hashed, so it can be cached for a year').toMatch(HASHED);
      expect(statSync(path.join(outdir, reference)).isFile()).toBe(true);
    }
    expect(html).toMatch(/<script type="module" src="[^"]+"><\/script>/);
    // Nothing inline: the CSP allows scripts and styles from the console's own origin only.
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|\sstyle="|\son[a-z]+="/i);
  });

  it(`keeps all CSS within ${CSS_GZIP_BUDGET / 1000} KB gzip`, () => {
    const css = files(outdir).filter((file) => file.endsWith('.css'));
    const total = css.reduce((sum, file) => sum + gzipSize(file), 0);
    console.log(`CSS: ${(total / 1000).toFixed(1)} KB gzip in ${css.length} files`);
    expect(total).toBeLessThanOrEqual(CSS_GZIP_BUDGET);
  });

  it('ships no source maps and names none', () => {
    const all = files(outdir);
    expect(all.filter((file) => file.endsWith('.map'))).toEqual([]);
    for (const file of all.filter((f) => /\.(?:js|css)$/.test(f))) expect(readFileSync(file, 'utf8'), file).not.toMatch(/sourceMappingURL=/);
  });

  it("evaluates no strings as code, which the CSP (script-src 'self', no 'unsafe-eval') would block", () => {
    for (const file of files(outdir).filter((f) => f.endsWith('.js'))) expect(readFileSync(file, 'utf8'), file).not.toMatch(/(?<![\w$.])eval\(|new Function\(/);
  });

  it('hashes every chunk and stylesheet name, so deployments can cache them for a year', () => {
    const unhashed = files(outdir)
      .filter((file) => /\.(?:js|css)$/.test(file))
      .filter((file) => !HASHED.test(file));
    expect(unhashed).toEqual([]);
  });
});

/** The entry and every output it reaches through static imports (what the browser fetches before the first render). */
function staticClosure(metafile: Metafile, entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const output = metafile.outputs[file];
    if (!output) return;
    if (output.cssBundle) seen.add(output.cssBundle);
    for (const i of output.imports) if (i.kind === 'import-statement' && !i.external) visit(i.path);
  };
  visit(entry);
  return [...seen];
}

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.join(d.parentPath, d.name));
}
