import { join } from 'node:path';
import * as sdk from '@aws-sdk/lib-dynamodb';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { lambdaAliases } from '#infra/bundling.ts';

// The Lambda bundles take lib-dynamodb's index from functions/shared/lib-dynamodb-index.mjs
// (infra/bundling.ts): it must export what the package does, names the SDK adds included, or a
// bundle importing a new one fails to build (and tests, which load the package, would not see it).

const ROOT = join(import.meta.dirname, '../..');

describe("the bundles' lib-dynamodb index", () => {
  it('is what lambdaAliases puts in place of the package', () => {
    expect(lambdaAliases(ROOT)['@aws-sdk/lib-dynamodb']).toBe(join(ROOT, 'functions/shared/lib-dynamodb-index.mjs'));
  });

  it('exports every name the package exports, and no other', async () => {
    const result = await build({
      entryPoints: [join(ROOT, 'functions/shared/lib-dynamodb-index.mjs')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      mainFields: ['module', 'main'],
      write: false,
      outdir: join(ROOT, 'lib-dynamodb-index-check'),
      metafile: true,
      logLevel: 'silent',
    });
    const [output] = Object.values(result.metafile.outputs).filter((file) => file.entryPoint);
    const packageNames = Object.keys(sdk).filter((name) => name !== 'default' && name !== 'module.exports');
    expect(packageNames).toContain('paginateQuery');
    expect([...output!.exports].sort()).toEqual(packageNames.sort());
  });
});
