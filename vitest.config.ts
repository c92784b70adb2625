import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

// Two groups, each with its own DynamoDB Local (test/support/global-setup.ts says why): the
// suite, two files at a time, and then the files that load a whole data set through the API
// (CDNOW's 2,357 customers and 6,919 purchases), alone, so that neither starves the other's
// requests on this 2-core machine; analytics-clv loads 150 of its customers, analytics-segments
// 120, analytics-flow 80. `npm test` runs the groups as two vitest runs, so that nothing of the
// suite (its engine, its workers) is left when the data sets load. The alone files run in the
// order below: the whole CDNOW sample last, as its stream records slow the engine for whoever follows.
const ALONE = ['test/e2e/analytics-segments.e2e.test.ts', 'test/e2e/analytics-clv.e2e.test.ts', 'test/e2e/analytics-flow.e2e.test.ts', 'test/e2e/cdnow-clv.e2e.test.ts'];

class AloneInListOrder extends BaseSequencer {
  override async sort(files: TestSpecification[]) {
    const sorted = await super.sort(files);
    const rank = (file: TestSpecification) => ALONE.findIndex((path) => file.moduleId.endsWith(path));
    return [...sorted.filter((f) => rank(f) < 0), ...sorted.filter((f) => rank(f) >= 0).sort((a, b) => rank(a) - rank(b))];
  }
}

const shared = {
  globalSetup: ['test/support/global-setup.ts'],
  testTimeout: 60_000,
  hookTimeout: 120_000,
};

export default defineConfig({
  test: {
    reporters: ['default'],
    // The routine lines every request and event writes (metrics, "event handled") would bury a
    // failing test's output; tests that check them spy on console.log, which sees them first.
    onConsoleLog: (log) => !(log.includes('"_aws":{') || log.includes('"message":"event handled"')),
    maxWorkers: 2,
    sequence: { sequencer: AloneInListOrder },
    projects: [
      { test: { ...shared, name: 'suite', include: ['test/**/*.test.ts'], exclude: ALONE, sequence: { groupOrder: 0 } } },
      { test: { ...shared, name: 'alone', include: ALONE, maxWorkers: 1, sequence: { groupOrder: 1 } } },
    ],
  },
});
