import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledInputs } from '../../bench/bundle.ts';
import { FUNCTIONS } from '#infra/topology.ts';
import { apiEvent, claimsFor } from '../support/api-gateway.ts';
import { bundleCode, bundleLambda, type LambdaBundle, type LambdaProcess, startLambdaProcess } from '../support/lambda-bundle.ts';

// DuckDB is the local runtime's engine only: a native devDependency that must never reach a
// Lambda. The analytics function, whose local twin uses it, bundles the Athena engine instead
// (in the chunk its first cube query loads: every code file shipped is read, not only index.mjs).

let workDir: string;
let bundle: LambdaBundle;
let code: string;
let lambda: LambdaProcess | undefined;
beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'crm-analytics-bundle-'));
  bundle = await bundleLambda(FUNCTIONS.analytics.entry, workDir);
  code = bundleCode(bundle)
    .map((file) => file.code)
    .join('\n');
}, 120_000);
afterAll(() => {
  lambda?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe('the analytics function as shipped', () => {
  it('holds the Athena engine and nothing of DuckDB', () => {
    expect(code).toContain('StartQueryExecution');
    expect(code).not.toMatch(/@duckdb|node-bindings|DuckDBInstance|read_parquet/);
  });

  it('compiles at cold start neither the models maths nor the Athena client: each part loads its chunks on its first request', async () => {
    const eager = bundledInputs(bundle.metafile);
    expect(eager.filter((input) => /node_modules\/(ml-matrix|ml-kmeans|@stdlib\/[^/]+|@aws-sdk\/client-athena)\//.test(input))).toEqual([]);
    expect(eager.filter((input) => /^(functions\/analytics\/.*\.part\.ts|domain\/analytics\/.*\.use-cases\.ts)$/.test(input))).toEqual([]);
    // Requests each part answers before it reads anything (no table, no Athena here): a part whose chunk did not load would answer 500.
    lambda = startLambdaProcess(bundle, { TABLE_NAME: 'bundle-test', AWS_REGION: 'us-east-1', ATHENA_WORKGROUP: 'bundle-test', ANALYTICS_DATABASE: 'bundle_test' });
    const claims = claimsFor(['admin']);
    const answers = [
      await lambda.invoke(apiEvent({ routeKey: 'GET /analytics/jobs/{id}', pathParameters: { id: 'not an id' }, claims })),
      await lambda.invoke(apiEvent({ routeKey: 'GET /reports/cube', query: { measure: 'cases' }, claims })),
      await lambda.invoke(apiEvent({ routeKey: 'GET /analytics/forecasts/cases', query: { days: '3' }, claims })),
    ];
    expect(answers.map((answer) => answer.statusCode)).toEqual([404, 400, 400]);
  });
});
