import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dynamoCustomerRepository } from '#functions/customers/customer.dynamodb-repository.ts';
import { customersHandler } from '#functions/customers/customers.app.ts';
import { systemClock, uuidIds, jitteredPause } from '#functions/shared/system.ts';
import { FUNCTIONS, type FunctionName } from '#infra/topology.ts';
import { type Invoke, lambdaContext } from './api-event.ts';
import { type Bundle, bundleFunction } from './bundle.ts';
import { type BenchTable, startBenchTable } from './dynamodb.ts';
import type { Figure } from './report.ts';
import { dynamoErasureRequests } from '#functions/customers/erasure-request.dynamodb-repository.ts';

/** What sections share; each resource is made on first use and released by close(). */
export interface BenchContext {
  readonly root: string;
  bundle(fn: FunctionName): Promise<Bundle>;
  /** Any entry (relative to root) bundled the same way, e.g. a reference for comparison. */
  bundleEntry(entry: string): Promise<Bundle>;
  table(): Promise<BenchTable>;
  /** The customers handler wired like customers.lambda.ts, against the bench table. */
  customers(): Promise<Invoke>;
}

/** One titled part of the bench: prints its detail as it runs, returns figures for the summary. */
export type Section = (context: BenchContext) => Promise<Figure[]>;

export function benchContext(root: string): BenchContext & { close(): Promise<void> } {
  const workDir = mkdtempSync(join(tmpdir(), 'crm-bench-'));
  const bundles = new Map<string, Promise<Bundle>>();
  let table: Promise<BenchTable> | undefined;
  let customers: Promise<Invoke> | undefined;

  const context: BenchContext & { close(): Promise<void> } = {
    root,
    bundle(fn: FunctionName) {
      return context.bundleEntry(FUNCTIONS[fn].entry);
    },
    bundleEntry(entry: string) {
      let bundle = bundles.get(entry);
      if (!bundle) bundles.set(entry, (bundle = bundleFunction(root, entry, join(workDir, `bundle-${bundles.size}`))));
      return bundle;
    },
    table() {
      return (table ??= startBenchTable());
    },
    customers() {
      return (customers ??= context.table().then(({ client, tableName }) => {
        // Same factories as the composition root; only the client's endpoint differs.
        const handler = customersHandler({
          customers: dynamoCustomerRepository({ client, tableName, ids: uuidIds, clock: systemClock }),
          clock: systemClock,
          ids: uuidIds,
          retry: jitteredPause,
          erasureRequests: dynamoErasureRequests({ client, tableName, ids: uuidIds, clock: systemClock }),
        });
        return (event) => handler(event, lambdaContext('customers'));
      }));
    },
    async close() {
      try {
        if (table) await (await table.catch(() => undefined))?.stop();
      } finally {
        rmSync(workDir, { recursive: true, force: true });
      }
    },
  };
  return context;
}
