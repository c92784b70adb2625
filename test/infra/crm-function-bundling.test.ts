import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '#infra/cdk/build-app.ts';
import { CrmFunction } from '#infra/cdk/crm-function.construct.ts';
import { FUNCTIONS } from '#infra/topology.ts';
import { bundleLambda } from '../support/lambda-bundle.ts';

// CrmFunction hands NodejsFunction's esbuild CLI the options infra/bundling.ts gives the esbuild
// API (aliases, injected modules, banner, minify, ESM). This bundles one function for real both
// ways and requires the same code, so what the benchmarks and the bundle test measure is what
// `cdk deploy` ships.

let workDir: string;
let cdkCode: string;
let apiCode: string;

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'crm-cdk-bundle-'));
  const app = new App({ outdir: join(workDir, 'cdk.out') });
  const stack = new Stack(app, 'Bundled');
  const table = new dynamodb.Table(stack, 'Table', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
  const bus = new events.EventBus(stack, 'Bus');
  new CrmFunction(stack, 'Customers', { name: 'customers', definition: FUNCTIONS.customers, projectRoot: PROJECT_ROOT, table, bus });
  const assembly = app.synth();
  const template = assembly.getStackByName('Bundled').template as { Resources: Record<string, { Type: string; Properties: any }> };
  const fn = Object.values(template.Resources).find((r) => r.Type === 'AWS::Lambda::Function');
  const assetHash = String(fn?.Properties.Code.S3Key).replace(/\.zip$/, '');
  cdkCode = readFileSync(join(assembly.directory, `asset.${assetHash}`, 'index.mjs'), 'utf8');
  const bundle = await bundleLambda(FUNCTIONS.customers.entry, join(workDir, 'api'));
  apiCode = readFileSync(bundle.path, 'utf8');
}, 120_000);
afterAll(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

const withoutMapComment = (code: string) => code.replace(/\n\/\/# sourceMappingURL=.*\n?$/, '');

describe('the customers function as CDK bundles it', () => {
  it('is the same code infra/bundling.ts produces', () => {
    expect(cdkCode.length).toBeGreaterThan(100_000);
    expect(withoutMapComment(cdkCode)).toBe(withoutMapComment(apiCode));
  });

  it('starts with the banner and the injected stack-trace mapper, and points at its source map', () => {
    expect(cdkCode.startsWith("import { createRequire as crmCreateRequire } from 'node:module';")).toBe(true);
    expect(cdkCode).toContain('Error.prepareStackTrace=');
    expect(cdkCode).toMatch(/\/\/# sourceMappingURL=index\.mjs\.map\s*$/);
  });
});
