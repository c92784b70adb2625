import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { BatchWriteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { analyticsFeedConsumersFor } from '#functions/analytics/analytics.composition.ts';
import { dynamoModelStore } from '#functions/analytics/analytics.dynamodb.ts';
import { analyticsFeedHandler } from '#functions/analytics/analytics-feed.handler.ts';
import { purchaseItem } from '#functions/analytics/purchase.keys.ts';
import { customerKey, timelineKey } from '#functions/customers/customer.keys.ts';
import { systemClock, uuidIds } from '#functions/shared/system.ts';
import { PUBLISHED_CDNOW } from './clv-synthetic.ts';
import type { Section } from './context.ts';
import { type Figure, heading, ms, table } from './report.ts';
import { summarize } from './stats.ts';

// Issue 13 "Figures": the customer value models' cost.
// 1. Fit time and peak memory of BG/NBD and Gamma-Gamma, each fit in a process of its own
//    (bench/clv-fit.child.ts): the CDNOW sample (2,357 customers), and `customers` synthetic
//    customers drawn (seeded) from the models' generative processes with the published CDNOW
//    parameters; the fit must give those back roughly (each within `tolerance`).
// 2. The cost of a score refresh after a purchase: the analytics feed's handler, as its Lambda
//    builds it, against DynamoDB Local: time per purchase (p50, p95) and DynamoDB requests.

export interface ClvBenchOptions {
  readonly customers: number;
  readonly seed: number;
  /** Largest relative error of a recovered parameter that still counts as recovered. */
  readonly tolerance: number;
  /** Customers the refresh cost is measured on, each with `history` earlier purchases. */
  readonly refreshCustomers: number;
  readonly history: number;
  /** New purchases through the feed (round robin over the customers), after `warmup`. */
  readonly purchases: number;
  readonly warmup: number;
}

type FitRun = {
  customers: number;
  purchases: number;
  spendCustomers: number;
  summariseMs: number;
  bgnbdMs: number;
  gammaGammaMs: number;
  parameters: Record<keyof typeof PUBLISHED_CDNOW, number>;
  rssBeforeMb: number;
  maxRssMb: number;
};

const child = fileURLToPath(new URL('./clv-fit.child.ts', import.meta.url));
async function fitInChild(...args: string[]): Promise<FitRun> {
  const { stdout } = await promisify(execFile)(process.execPath, [child, ...args], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as FitRun;
}
const mb = (value: number) => `${value.toFixed(0)} MB`;
const seconds = (value: number) => `${(value / 1000).toFixed(2)} s`;

export function clvSection(options: ClvBenchOptions): Section {
  return async (context) => {
    heading(`Customer value fit: CDNOW and ${options.customers.toLocaleString('en')} synthetic customers (BG/NBD + Gamma-Gamma, weeks)`);
    const cdnow = await fitInChild('cdnow');
    const synthetic = await fitInChild('synthetic', String(options.customers), String(options.seed));
    const row = (name: string, run: FitRun) => [
      name,
      run.customers.toLocaleString('en'),
      run.purchases.toLocaleString('en'),
      ms(run.summariseMs),
      ms(run.bgnbdMs),
      ms(run.gammaGammaMs),
      seconds(run.summariseMs + run.bgnbdMs + run.gammaGammaMs),
      mb(run.maxRssMb),
      mb(run.rssBeforeMb),
    ];
    table([['data', 'customers', 'purchases', 'summarise', 'BG/NBD', 'Gamma-Gamma', 'total', 'peak RSS', 'RSS at start'], row('CDNOW', cdnow), row('synthetic', synthetic)]);

    const errors = Object.entries(PUBLISHED_CDNOW).map(([name, truth]) => {
      const got = synthetic.parameters[name as keyof typeof PUBLISHED_CDNOW];
      return { name, truth, got, error: Math.abs(got - truth) / truth };
    });
    console.log('\n  Synthetic fit against the parameters the customers were drawn with:');
    table([['parameter', 'drawn with', 'fitted', 'error'], ...errors.map((e) => [e.name, String(e.truth), e.got.toFixed(3), `${(100 * e.error).toFixed(1)}%`])]);
    const worst = errors.reduce((a, b) => (b.error > a.error ? b : a));
    const recovered = worst.error <= options.tolerance;

    heading(`Score refresh after a purchase: the analytics feed against DynamoDB Local (${options.purchases} purchases, ${options.refreshCustomers} customers with ${options.history} earlier purchases each)`);
    const bench = await context.table();
    const { client, tableName, requests } = bench;
    const infra = { client, tableName, clock: systemClock, ids: uuidIds };
    await dynamoModelStore(infra).save({
      asOf: '2026-01-01',
      periodUnit: 'week',
      currency: 'EUR',
      customers: 2357,
      bgnbd: { r: PUBLISHED_CDNOW.r, alpha: PUBLISHED_CDNOW.alpha, a: PUBLISHED_CDNOW.a, b: PUBLISHED_CDNOW.b, logLikelihood: -9582.4 },
      gammaGamma: { p: PUBLISHED_CDNOW.p, q: PUBLISHED_CDNOW.q, gamma: PUBLISHED_CDNOW.gamma },
      fittedAt: '2026-01-02T00:00:00.000Z',
      jobId: 'bench',
    });
    const run = `clv-bench-${Date.now()}`;
    const ids = Array.from({ length: options.refreshCustomers }, (_, i) => `${run}-${i}`);
    for (const id of ids) {
      await client.send(new PutCommand({ TableName: tableName, Item: { ...customerKey(id), id } }));
      const earlier = Array.from({ length: options.history }, (_, k) => purchaseItem({ customerId: id, interactionId: `earlier-${k}`, day: `2025-${String(1 + (k % 12)).padStart(2, '0')}-15`, amount: 20 + k, currency: 'EUR' }));
      for (let start = 0; start < earlier.length; start += 25) {
        await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: earlier.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } })) } }));
      }
    }
    const handler = analyticsFeedHandler(analyticsFeedConsumersFor(infra, { currency: 'EUR' }));
    const log = console.log;
    const times: number[] = [];
    const sent: string[][] = [];
    try {
      console.log = () => undefined; // the handler's one log line per purchase
      for (let i = 0; i < options.warmup + options.purchases; i++) {
        const customerId = ids[i % ids.length]!;
        const interactionId = `${run}-purchase-${i}`;
        const occurredAt = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();
        await client.send(new PutCommand({ TableName: tableName, Item: { ...timelineKey({ customerId, anonymousId: null, occurredAt, id: interactionId }), data: { amount: 25 + (i % 10) } } }));
        requests.take();
        const event = {
          version: '0',
          id: interactionId,
          'detail-type': 'InteractionRecorded',
          source: 'crm.customers',
          account: '0',
          time: occurredAt,
          region: 'local',
          resources: [],
          detail: { metadata: { eventId: interactionId, version: 1, occurredAt, correlationId: run, causationId: null, idempotencyKey: interactionId }, data: { customerId, interactionId, channel: 'web', type: 'purchase', occurredAt } },
        };
        const started = performance.now();
        const outcome = await handler(event);
        const elapsed = performance.now() - started;
        if (outcome !== 'recorded') throw new Error(`purchase ${interactionId}: ${JSON.stringify(outcome)}`);
        if (i >= options.warmup) {
          times.push(elapsed);
          sent.push(requests.take());
        }
      }
    } finally {
      console.log = log;
    }
    const time = summarize(times);
    const p95 = [...times].sort((a, b) => a - b)[Math.ceil(0.95 * times.length) - 1]!;
    const perPurchase = sent.reduce((sum, list) => sum + list.length, 0) / sent.length;
    const byOperation = new Map<string, number>();
    for (const list of sent) for (const op of list) byOperation.set(op, (byOperation.get(op) ?? 0) + 1);
    const operations = [...byOperation.entries()].sort().map(([op, n]) => `${op} ${(n / sent.length).toFixed(1)}`).join(', ');
    table([
      ['n', 'p50', 'p95', 'max', 'requests per purchase', 'by operation'],
      [String(time.n), ms(time.p50), ms(p95), ms(time.max), perPurchase.toFixed(1), operations],
    ]);

    const figures: Figure[] = [
      { section: 'clv', figure: 'fit CDNOW (2,357 customers): summarise + BG/NBD + Gamma-Gamma', value: seconds(cdnow.summariseMs + cdnow.bgnbdMs + cdnow.gammaGammaMs) },
      { section: 'clv', figure: 'fit CDNOW: peak RSS of the fitting process', value: mb(cdnow.maxRssMb) },
      { section: 'clv', figure: `fit ${options.customers.toLocaleString('en')} synthetic customers`, value: seconds(synthetic.summariseMs + synthetic.bgnbdMs + synthetic.gammaGammaMs) },
      { section: 'clv', figure: `fit ${options.customers.toLocaleString('en')} synthetic: peak RSS`, value: mb(synthetic.maxRssMb) },
      {
        section: 'clv',
        figure: `synthetic fit recovers the drawn parameters (each within ${(100 * options.tolerance).toFixed(0)}%; worst ${worst.name} ${(100 * worst.error).toFixed(1)}%)`,
        value: recovered ? 'yes' : 'no',
        target: `<= ${(100 * options.tolerance).toFixed(0)}%`,
        pass: recovered,
      },
      { section: 'clv', figure: 'score refresh after a purchase: feed handler p50', value: ms(time.p50) },
      { section: 'clv', figure: 'score refresh after a purchase: feed handler p95', value: ms(p95) },
      { section: 'clv', figure: 'DynamoDB requests per purchase (record + refresh)', value: perPurchase.toFixed(1) },
    ];
    return figures;
  };
}
