import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUNCTIONS } from '#infra/topology.ts';
import { bundleLambda } from '../support/lambda-bundle.ts';

// DuckDB is the local runtime's engine only: a native devDependency that must never reach a
// Lambda. The analytics function, whose local twin uses it, bundles the Athena engine instead
// (in the chunk its first cube query loads: every code file shipped is read, not only index.mjs).

let workDir: string;
let code: string;
beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'crm-analytics-bundle-'));
  await bundleLambda(FUNCTIONS.analytics.entry, workDir);
  const files = readdirSync(workDir, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.mjs'));
  code = files.map((file) => readFileSync(join(workDir, file), 'utf8')).join('\n');
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
