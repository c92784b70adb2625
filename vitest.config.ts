import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import type { Plugin } from 'vite';

// Two groups: the suite, two files at a time over one DynamoDB Local (test/support/global-setup.ts
// starts it once for the run), and then the files that load a whole data set through the API
// (CDNOW's 2,357 customers and 6,919 purchases; analytics-clv 150 of them, analytics-segments 120,
// analytics-flow 80), one at a time, each runtime on a DynamoDB Local of its own (no global setup:
// startTestRuntime then starts one per runtime). An engine's writes slow down with every stream
// record it keeps for a day: measured on a quiet machine, cdnow-clv took 127 s on a fresh engine
// and 311 to 495 s after the three small data-set files in the same one, and analytics-flow got
// 503s after cdnow-clv. `npm test` runs the groups as two vitest runs, so that nothing of the suite
// (its engine, its workers) is left when the data sets load. The alone files run in list order.
const ALONE = ['test/e2e/key-prefixes.e2e.test.ts', 'test/e2e/analytics-segments.e2e.test.ts', 'test/e2e/analytics-clv.e2e.test.ts', 'test/e2e/analytics-flow.e2e.test.ts', 'test/e2e/cdnow-clv.e2e.test.ts'];

class AloneInListOrder extends BaseSequencer {
  override async sort(files: TestSpecification[]) {
    const sorted = await super.sort(files);
    const rank = (file: TestSpecification) => ALONE.findIndex((path) => file.moduleId.endsWith(path));
    return [...sorted.filter((f) => rank(f) < 0), ...sorted.filter((f) => rank(f) >= 0).sort((a, b) => rank(a) - rank(b))];
  }
}

// The console's generated request validators (web/build/request-validators.ts) for the unit tests
// of web/src/forms/validate.ts, as web/build.ts's esbuild plugin provides them to the bundle.
const requestValidators: Plugin = {
  name: 'request-validators',
  resolveId: (id) => (id === 'virtual:request-validators' ? '\0virtual:request-validators' : undefined),
  async load(id) {
    if (id !== '\0virtual:request-validators') return undefined;
    const { requestValidatorsSource } = await import('./web/build/request-validators.ts');
    // The generated code requires Ajv's runtime helpers, which esbuild bundles; here Node loads them.
    return `import { createRequire } from 'node:module';\nconst require = createRequire(${JSON.stringify(`${import.meta.dirname}/web/`)});\n${requestValidatorsSource()}`;
  },
};

const shared = {
  globalSetup: ['test/support/global-setup.ts'],
  testTimeout: 60_000,
  hookTimeout: 120_000,
};

// The domain, e2e and integration files run without isolation: a worker imports the local runtime,
// the SDK and the domain once and keeps them for its next file (measured, four e2e files in one
// worker: 61 CPU seconds isolated, 46 shared; each e2e file had spent about 5 s of CPU importing
// what the file before it had loaded). They leave nothing behind in those modules: no SDK client
// mock, no vi.mock, spies restored, each runtime stopped (its metrics sink put back) and its local
// SES a copy of its own (infra/local/ses-local.ts). The CDK template files join them: a worker
// imports aws-cdk-lib once, and test/infra/crm-app.ts's synthCrm memo then serves every file of the
// worker, so the default stack is synthesized (and checked by CDK's built-in CloudFormation
// validation, about 4 CPU s a synth and 5 s to start its engine) once per worker instead of once per
// file: measured, the 18 infra files but cdk-nag used 197 CPU s isolated, 75 shared. They change no
// synthesized stack (a test that adds constructs builds its own app) and set no environment.
// aws-redrive.test.ts, the handler, local, web, browser and docs files stay isolated:
// aws-sdk-client-mock patches shared prototypes, and some set the environment. Both suite projects
// run in one vitest run on the same workers and the same DynamoDB Local: `--project 'suite*'` picks both.
const SHARED_MODULES = ['test/domain/**/*.test.ts', 'test/e2e/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/infra/!(aws-redrive).test.ts'];

export default defineConfig({
  test: {
    reporters: ['default'],
    // The routine lines every request and event writes (metrics, "event handled") would bury a
    // failing test's output; tests that check them spy on console.log, which sees them first.
    onConsoleLog: (log) => !(log.includes('"_aws":{') || log.includes('"message":"event handled"')),
    maxWorkers: 2,
    sequence: { sequencer: AloneInListOrder },
    projects: [
      { plugins: [requestValidators], test: { ...shared, name: 'suite', include: ['test/**/*.test.ts'], exclude: [...ALONE, ...SHARED_MODULES], sequence: { groupOrder: 0 } } },
      { test: { ...shared, name: 'suite-shared', include: SHARED_MODULES, exclude: ALONE, isolate: false, sequence: { groupOrder: 0 } } },
      { test: { ...shared, globalSetup: [], name: 'alone', include: ALONE, maxWorkers: 1, sequence: { groupOrder: 1 } } },
    ],
  },
});
