import { performance } from 'node:perf_hooks';
import { apiEvent, type Invoke, type Request } from './api-event.ts';
import type { Section } from './context.ts';
import type { RequestLog } from './dynamodb.ts';
import { anonymousPool, BATCH_SIZE, type BatchOutcome, batchOutcome, createCustomers, itemsOf, mixedBatch, seededRandom } from './interactions.ts';
import { type Figure, heading, ms, table } from './report.ts';
import { type Summary, summarize } from './stats.ts';

export interface IngestionOptions {
  /** Customers created up front; the batches' customerId items fall among them. */
  readonly customers: number;
  /** Batches per run (each run sends the same number, split evenly over its workers). */
  readonly batches: number;
  readonly concurrency: readonly number[];
  readonly warmup: number;
}

interface IngestionRun {
  readonly label: string;
  readonly workers: number;
  readonly batches: number;
  readonly sent: number;
  readonly created: number;
  readonly elapsedMs: number;
  readonly latency: Summary;
  readonly errors: string[];
  /** DynamoDB requests the run sent, by operation name. */
  readonly requests: ReadonlyMap<string, number>;
}

/**
 * Sends prepared batches with `workers` concurrent senders (each sequential), like that many warm
 * Lambda containers sharing one table. Wall time covers all of them; latency is per batch.
 */
async function ingest(invoke: Invoke, log: RequestLog, label: string, batches: readonly Request[], workers: number): Promise<IngestionRun> {
  log.take();
  const samples: number[] = [];
  const errors: string[] = [];
  let created = 0;
  let sent = 0;
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < batches.length; i = next++) {
      const request = batches[i]!;
      const event = apiEvent(request);
      const t0 = performance.now();
      const result = await invoke(event).catch((error: unknown) => error instanceof Error ? error : new Error(String(error)));
      samples.push(performance.now() - t0);
      // Checked outside the timed span.
      const outcome: BatchOutcome =
        result instanceof Error ? { sent: itemsOf(request), created: 0, errors: [`handler threw: ${result.message}`] } : batchOutcome(result, itemsOf(request));
      sent += outcome.sent;
      created += outcome.created;
      errors.push(...outcome.errors.map((e) => `batch ${i}: ${e}`));
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: workers }, worker));
  const elapsedMs = performance.now() - t0;
  const requests = new Map<string, number>();
  for (const name of log.take()) requests.set(name, (requests.get(name) ?? 0) + 1);
  return { label, workers, batches: batches.length, sent, created, elapsedMs, latency: summarize(samples), errors, requests };
}

/** Issue 14's targets for concurrent ingestion into the same customers. */
export const MAX_TRANSACTIONS_PER_BATCH = 1.1;
export const MAX_TAIL_RATIO = 3;

const perSecond = (run: IngestionRun) => (run.created / run.elapsedMs) * 1000;

export function ingestionSection(options: IngestionOptions = { customers: 50, batches: 40, concurrency: [1, 4], warmup: 3 }): Section {
  const { customers, batches, concurrency, warmup } = options;
  return async (context) => {
    heading(`Batch ingestion: POST /interactions, ${batches} batches of ${BATCH_SIZE} against DynamoDB Local`);
    const [invoke, { requests: log }] = await Promise.all([context.customers(), context.table()]);
    const customerIds = await createCustomers(invoke, customers);
    const random = seededRandom(3);
    const pool = anonymousPool(20, 'ingest');
    const make = (n: number) => Array.from({ length: n }, () => mixedBatch(random, customerIds, pool));
    console.log(`  ${customers} customers; each batch: 5-10 of them by customerId + 2-5 anonymousId items (pool of ${pool.length}); channel web, type page_view`);

    // Not timed: the first batches pay for code paths the earlier sections did not take.
    const warm = await ingest(invoke, log, 'warm-up', make(warmup), 1);

    const runs: IngestionRun[] = [];
    for (const workers of concurrency) {
      const label = workers === 1 ? 'sequential' : `concurrency ${workers}`;
      runs.push(await ingest(invoke, log, label, make(batches), workers));
    }

    table([
      ['run', 'batches', 'created / sent', 'wall', 'interactions/s', 'batch p50', 'batch p99', 'batch mean', 'batch max'],
      ...runs.map((r) => [
        r.label,
        String(r.batches),
        `${r.created} / ${r.sent}`,
        ms(r.elapsedMs),
        perSecond(r).toFixed(0),
        ms(r.latency.p50),
        ms(r.latency.p99),
        ms(r.latency.mean),
        ms(r.latency.max),
      ]),
    ]);

    // A transaction whose stats revision moved meanwhile is retried (reads again, writes again).
    console.log('\n  DynamoDB requests per run (retries show as more than one TransactWriteItems per batch):');
    table(
      runs.map((r) => {
        const total = [...r.requests.values()].reduce((sum, n) => sum + n, 0);
        const writes = r.requests.get('TransactWriteItems') ?? 0;
        const names = [...r.requests].map(([name, n]) => `${name} ${n}`).join(', ');
        return [r.label, `${total} requests (${(total / r.batches).toFixed(1)} per batch)`, `${(writes / r.batches).toFixed(2)} TransactWriteItems per batch`, names];
      }),
      '    ',
    );

    const figures: Figure[] = [];
    for (const r of [warm, ...runs]) {
      if (r.errors.length) {
        console.log(`\n  ${r.label}: ${r.errors.length} error(s), ${r.sent - r.created} of ${r.sent} items not created:`);
        for (const e of r.errors.slice(0, 10)) console.log(`    ${e}`);
        if (r.errors.length > 10) console.log(`    ... and ${r.errors.length - 10} more`);
      }
    }
    // Issue 14: concurrent batches add to the stats instead of racing for them, so they barely
    // retry and their tail stays near the sequential one (targets on the concurrent runs only).
    const sequential = runs.find((r) => r.workers === 1);
    for (const r of runs) {
      const transactions = (r.requests.get('TransactWriteItems') ?? 0) / r.batches;
      const concurrent = r.workers > 1;
      const tail = sequential && concurrent ? r.latency.p99 / sequential.latency.p99 : undefined;
      figures.push(
        { section: 'ingestion', figure: `${r.label}: ${r.batches} x ${BATCH_SIZE} items`, value: `${perSecond(r).toFixed(0)} interactions/s` },
        {
          section: 'ingestion',
          figure: `${r.label}: per-batch p50 / p99`,
          value: `${ms(r.latency.p50)} / ${ms(r.latency.p99)}${tail === undefined ? '' : ` (${tail.toFixed(2)}x sequential p99)`}`,
          ...(tail === undefined ? {} : { target: `p99 <= ${MAX_TAIL_RATIO}x sequential`, pass: tail <= MAX_TAIL_RATIO }),
        },
        {
          section: 'ingestion',
          figure: `${r.label}: transactions per batch (1 = no retry)`,
          value: transactions.toFixed(2),
          ...(concurrent ? { target: `<= ${MAX_TRANSACTIONS_PER_BATCH}`, pass: transactions <= MAX_TRANSACTIONS_PER_BATCH } : {}),
        },
      );
    }
    for (const r of [warm, ...runs]) {
      if (r.errors.length) {
        figures.push({
          section: 'ingestion',
          figure: `${r.label}: items not created`,
          value: `${r.sent - r.created} of ${r.sent}`,
          target: '0',
          error: r.errors[0]!,
        });
      }
    }
    return figures;
  };
}
