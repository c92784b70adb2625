import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUNCTIONS } from '#infra/topology.ts';
import { bundleCode, bundleLambda } from '../support/lambda-bundle.ts';

// DuckDB is the local runtime's engine only: a native devDependency that must never reach a
// Lambda. The analytics function, whose local twin uses it, bundles the Athena engine instead
// (in index.mjs or a chunk it imports when a query first needs it: all its code files are read).

let workDir: string;
let code: string;
beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'crm-analytics-bundle-'));
  code = bundleCode(await bundleLambda(FUNCTIONS.analytics.entry, workDir))
    .map((file) => file.code)
    .join('\n');
}, 120_000);
afterAll(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe('the analytics function as shipped', () => {
  it('holds the Athena engine and nothing of DuckDB', () => {
    expect(code).toContain('StartQueryExecution');
    expect(code).not.toMatch(/@duckdb|node-bindings|DuckDBInstance|read_parquet/);
  });
});
