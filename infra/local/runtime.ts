import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { Server } from 'node:http';
import * as z from '#domain/shared/zod.ts';
import { EVENT_BUS_NAME } from '#events/define-event.ts';
import { uuidIds } from '#functions/shared/system.ts';
import { localTokenKeys } from '#functions/shared/token-keys.ts';
import { createTableClient } from '#functions/shared/table-client.ts';
import { SCHEDULE_GROUP } from '../routes.ts';
import { FUNCTIONS, type FunctionName, ROUTES, RULES, SCHEDULES, STREAM_CONSUMERS, STREAM_RETRY_ATTEMPTS } from '../topology.ts';
import { ensureTable } from './create-table.ts';
import { LOCAL_AWS, startDynamoDbLocal } from './dynamodb-local.ts';
import { docsEndpoints } from './docs-site.ts';
import { consoleEndpoints, signInEndpoint } from './console-site.ts';
import { createGateway, type LambdaHandler, type LocalEndpoint } from './gateway.ts';
import { localHealth } from './health.ts';
import { localCampaignControl, localFunctions } from './functions.ts';
import { functionTargetOf } from './local-arns.ts';
import { startLocalBus } from './local-bus.ts';
import { ensurePortFree } from './ports.ts';
import { startScheduleApi } from './schedule-api.ts';
import { startScheduler, VirtualClock } from './scheduler.ts';
import { startSesFeedback } from './ses-feedback.ts';
import { startSesLocal } from './ses-local.ts';
import { startStreamReader } from './stream-reader.ts';
import { openFailureStore } from './failure-store.ts';
import { FAILURE_QUEUES } from '../failure-queues.ts';
import type { DynamoDBRecord } from 'aws-lambda';
import { DEFAULT_PRICES } from '#domain/operations/usage.ts';
import type { PriceTable } from '#domain/operations/usage.schema.ts';
import { meteredInvocation } from '#functions/shared/metering.ts';
import { asFunction } from '#functions/shared/table-requests.ts';
import { setDefaultMetricsSink } from '#functions/shared/metrics.ts';
import { DEFAULT_MEMORY_MB } from '../routes.ts';
import { localUsageAggregator } from './usage-aggregator.ts';

export interface LocalRuntimeOptions {
  /** API port (0 picks a free one). */
  readonly port: number;
  readonly sesPort: number;
  readonly dynamodbPort: number;
  /** Keep data between runs here; in memory when absent. */
  readonly dataDir?: string;
  /** Where the warehouse's Parquet files go: `<dataDir>/warehouse` by default, else a temporary folder (removed at stop). */
  readonly warehouseDir?: string;
  /** Use an already running DynamoDB Local instead of starting one (tests share one). */
  readonly dynamodbEndpoint?: string;
  /** Use an already running aws-ses-v2-local instead of starting one. */
  readonly sesEndpoint?: string;
  readonly tableName?: string;
  readonly corsOrigins?: string;
  /** Print one line per audited event (off in tests). */
  readonly logEvents?: boolean;
  /** Print one line per HTTP request (off in tests). */
  readonly logRequests?: boolean;
  /** Secret for link tokens (the local TokenKeys adapter: kid `local`, and kid-less tokens); random per run when absent. */
  readonly tokenSecret?: string;
  /** Campaign mail per second (SES's account rate on AWS); 0 or absent: unpaced. */
  readonly campaignSendRate?: number;
  /** ERASURE_GRACE_DAYS: days between a person's DELETE /me and their erasure (7 when absent). */
  readonly erasureGraceDays?: number;
  /** Seconds from a case's solving to its satisfaction survey (default 3600, as on AWS). */
  readonly csatDelaySeconds?: number;
  /** ANALYTICS_CURRENCY: purchases naming none are in it, the models are fitted in it (EUR when absent). */
  readonly analyticsCurrency?: string;
  /** Retries of a failing stream batch before it goes to the failure path (STREAM_RETRY_ATTEMPTS, as on AWS, when absent). */
  readonly streamRetryAttempts?: number;
  /** How long the bus retries a failing delivery before its dead-letter queue (6 h, Lambda's maximum event age, when absent). */
  readonly busMaxEventAgeMs?: number;
  /** GET /usage's price table (USAGE_PRICES over the defaults; the defaults when absent). */
  readonly usagePrices?: PriceTable;
  /** The built console (web/dist) to serve at /; GET / lists the local links when absent. */
  readonly webDir?: string;
}

type Invocable = (event: unknown, context: unknown) => Promise<unknown>;

const TEN_YEARS_IN_SECONDS = 10 * 365 * 24 * 3600;
const AdvanceBody = z.strictObject({ seconds: z.number().check(z.positive(), z.lte(TEN_YEARS_IN_SECONDS)) });
// z.int() doubles as a check, which is how classic `.int()` refined a coerced number.
const EventLimit = z.coerce.number().check(z.int(), z.gte(1), z.lte(500));
const EventsQuery = z.object({ limit: z._default(EventLimit, 50) });

/** A local endpoint's JSON body, or undefined where it is not JSON (its schema then answers 400). */
function jsonOrUndefined(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8') || 'null');
  } catch {
    return undefined;
  }
}
const RedriveBody = z.strictObject({ queue: z.enum(FAILURE_QUEUES.map((q) => q.name) as [string, ...string[]]) });

/** Starts the whole system on this machine: the same routes, rules and schedules as on AWS. */
export async function startLocalRuntime(options: LocalRuntimeOptions) {
  const stops: (() => Promise<void> | void)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await Promise.resolve(stop()).catch(() => undefined);
    stops.length = 0;
  };
  let ready = false;
  try {
    // Port 0 is taken when the gateway listens: a free port picked here and released would be
    // free for DynamoDB Local or SES to take meanwhile (as ses-local.ts does for its own port).
    const port = options.port === 0 ? 0 : await ensurePortFree(options.port, 'the API', 'PORT');
    let endpoint = options.dynamodbEndpoint;
    if (!endpoint) {
      const dynamo = await startDynamoDbLocal({ port: options.dynamodbPort, ...(options.dataDir ? { dataDir: join(options.dataDir, 'dynamodb') } : {}) });
      stops.push(() => dynamo.stop());
      endpoint = dynamo.endpoint;
    }
    const tableName = options.tableName ?? 'crm';
    const raw = new DynamoDBClient({ endpoint, ...LOCAL_AWS });
    const client = createTableClient({ endpoint, ...LOCAL_AWS });
    const streams = new DynamoDBStreamsClient({ endpoint, ...LOCAL_AWS });
    stops.push(() => {
      raw.destroy();
      client.destroy();
      streams.destroy();
    });
    await ensureTable(raw, tableName);

    // An SES endpoint given from outside is left to its owner; the one started here can be stopped
    // and restarted on its port (the outage tests).
    let ses: { endpoint: string; stop?: () => Promise<void>; restart?: () => ReturnType<typeof startSesLocal> } = options.sesEndpoint ? { endpoint: options.sesEndpoint } : await startSesLocal(options.sesPort);
    stops.push(async () => ses.stop?.());
    const sesPort = Number(new URL(ses.endpoint).port);
    const health = localHealth({ dynamodbEndpoint: endpoint, tableName, sesEndpoint: ses.endpoint });
    stops.push(() => health.stop());

    const clock = new VirtualClock(options.dataDir ? { file: join(options.dataDir, 'virtual-clock.json') } : {});
    let functions: Record<FunctionName, Invocable> | undefined;
    const invoke = (name: FunctionName, event: unknown) =>
      functions![name](event, { awsRequestId: crypto.randomUUID(), functionName: name, getRemainingTimeInMillis: () => 30_000 });
    // Run-time rules and one-off schedules name their target function by ARN, as on AWS.
    const functionTarget = functionTargetOf(Object.keys(FUNCTIONS) as FunctionName[], invoke);

    // Where failed work waits for `npm run redrive` (kept only when data persists).
    const failures = options.dataDir ? openFailureStore(options.dataDir, invoke) : undefined;

    const bus = await startLocalBus({
      busName: EVENT_BUS_NAME,
      ...(options.busMaxEventAgeMs !== undefined ? { maxEventAgeMs: options.busMaxEventAgeMs } : {}),
      rules: RULES.map((rule) => ({
        name: rule.name,
        pattern: rule.pattern,
        deliver: async (event) => {
          if (rule.target.kind === 'function') return invoke(rule.target.function, event);
          if (options.logEvents) console.log(`[event] ${event.source} ${event['detail-type']} ${event.id}`);
        },
      })),
      functionTarget,
      ...(options.dataDir ? { journalDir: join(options.dataDir, 'bus'), rulesFile: join(options.dataDir, 'bus', 'rules.json') } : {}),
    });
    stops.push(() => bus.stop());
    const oneOffs = await startScheduleApi({
      clock,
      groups: [SCHEDULE_GROUP],
      functionTarget,
      ...(options.dataDir ? { dir: join(options.dataDir, 'scheduler') } : {}),
    });
    stops.push(() => oneOffs.stop());
    const campaignControl = localCampaignControl({ bus: bus.endpoint, scheduler: oneOffs.endpoint });

    let warehouseDir = options.warehouseDir ?? (options.dataDir ? join(options.dataDir, 'warehouse') : undefined);
    if (!warehouseDir) {
      const temporary = await mkdtemp(join(tmpdir(), 'crm-warehouse-'));
      stops.push(() => rm(temporary, { recursive: true, force: true }));
      warehouseDir = temporary;
    }

    // Metering (issue 14): the handlers' EMF lines go to the aggregator GET /usage reads, as they
    // go to CloudWatch on AWS, and on to the log as there; each invocation keeps its own tally
    // (functions share this process).
    const usage = localUsageAggregator();
    const previousSink = setDefaultMetricsSink((line) => {
      usage.record(line);
      previousSink(line);
    });
    stops.push(() => void setDefaultMetricsSink(previousSink));

    let apiUrl = `http://127.0.0.1:${port}`;
    const built = localFunctions({
      usage: { usage: usage.source, prices: options.usagePrices ?? DEFAULT_PRICES },
      warehouseDir,
      client,
      tableName,
      clock,
      ids: uuidIds,
      busEndpoint: bus.endpoint,
      sesEndpoint: ses.endpoint,
      // The same TokenKeys port as on AWS, through its local adapter: the signers read it on first use.
      tokenKeys: localTokenKeys(options.tokenSecret ?? randomBytes(32).toString('base64url')),
      linkBase: () => apiUrl,
      ...(options.campaignSendRate ? { campaignSendRate: options.campaignSendRate } : {}),
      ...(options.erasureGraceDays !== undefined ? { erasureGraceDays: options.erasureGraceDays } : {}),
      ...(options.csatDelaySeconds !== undefined ? { csatDelaySeconds: options.csatDelaySeconds } : {}),
      ...(options.analyticsCurrency !== undefined ? { analyticsCurrency: options.analyticsCurrency } : {}),
      campaignControl,
    }) as unknown as Record<FunctionName, Invocable>;
    functions = Object.fromEntries(
      (Object.keys(built) as FunctionName[]).map((name) => {
        const memoryMb = (FUNCTIONS[name] as { memoryMb?: number }).memoryMb ?? DEFAULT_MEMORY_MB;
        // Each invocation keeps its own tally and says whose table requests it sends (functions share this process and its table client).
        return [name, (event: unknown, context: unknown) => meteredInvocation(memoryMb, () => asFunction(name, () => built[name](event, context)))];
      }),
    ) as Record<FunctionName, Invocable>;
    const resumed = bus.resumePending();
    if (resumed > 0) console.log(`[bus] delivering ${resumed} event(s) the previous run accepted and did not finish`);

    const feedback = startSesFeedback({ sesEndpoint: ses.endpoint, busEndpoint: bus.endpoint });
    stops.push(() => feedback.stop());

    const reader = startStreamReader({
      dynamodb: raw,
      streams,
      tableName,
      consumers: STREAM_CONSUMERS.map((c) => ({
        name: c.function,
        filter: c.filter,
        batchSize: c.batchSize,
        ...('parallelizationFactor' in c ? { parallelization: c.parallelizationFactor } : {}),
        handler: (event) => invoke(c.function, event) as never,
      })),
      ...(options.dataDir ? { checkpointFile: join(options.dataDir, 'stream-checkpoints.json') } : {}),
      // The first try and as many retries as the AWS event-source mapping makes.
      maxAttempts: (options.streamRetryAttempts ?? STREAM_RETRY_ATTEMPTS) + 1,
      ...(failures ? { onGiveUp: (consumer: string, records: readonly DynamoDBRecord[]) => failures.recordStreamFailure(consumer, records, clock.now()) } : {}),
    });
    stops.push(() => reader.stop());

    const scheduler = startScheduler(
      clock,
      SCHEDULES.map((s) => ({
        name: s.name,
        everyMinutes: s.everyMinutes,
        run: (at: Date) => invoke(s.function, { source: 'aws.events', 'detail-type': 'Scheduled Event', time: at.toISOString(), detail: {} }),
      })),
      undefined,
      oneOffs,
    );
    stops.push(() => scheduler.stop());

    /** Settles chains (write -> stream -> bus -> consumer -> write ...): waits until a full round is quiet. */
    const idle = async () => {
      for (let round = 0; round < 20; round++) {
        const before = bus.delivered() + oneOffs.fired();
        await oneOffs.idle();
        await feedback.flush();
        await reader.idle();
        await bus.idle();
        if (bus.delivered() + oneOffs.fired() === before) return;
      }
    };

    const localEndpoints: LocalEndpoint[] = [
      {
        method: 'POST',
        path: '/_local/clock/advance',
        handle: async (_req, body) => {
          const result = AdvanceBody.safeParse(jsonOrUndefined(body));
          if (!result.success) return { status: 400, body: { title: 'Invalid request', status: 400, detail: 'Send {"seconds": n} with n > 0.' } };
          const advanced = await scheduler.advance(result.data.seconds);
          await idle();
          return { status: 200, body: advanced };
        },
      },
      {
        method: 'GET',
        path: '/_local/clock',
        handle: async () => ({ status: 200, body: { now: clock.now().toISOString(), offsetSeconds: clock.offsetMs / 1000 } }),
      },
      {
        method: 'GET',
        path: '/_local/failures',
        handle: async () => ({ status: 200, body: { kept: failures !== undefined, queues: failures?.counts() ?? {} } }),
      },
      {
        method: 'POST',
        path: '/_local/redrive',
        handle: async (_req, body) => {
          const result = RedriveBody.safeParse(jsonOrUndefined(body));
          if (!result.success) {
            return { status: 400, body: { title: 'Invalid request', status: 400, detail: `Send {"queue": name}, name one of: ${FAILURE_QUEUES.map((q) => q.name).join(', ')}.` } };
          }
          if (!failures) return { status: 409, body: { title: 'Nothing kept', status: 409, detail: 'This runtime keeps data in memory and no failures: start it with CRM_DATA_DIR set.' } };
          const outcome = await failures.redrive(result.data.queue);
          // Let what the redrive caused settle; a dependency that is down (the SES store, which
          // idle reads) leaves it to settle later instead of failing the answer.
          await idle().catch(() => undefined);
          return { status: 200, body: outcome };
        },
      },
      {
        method: 'GET',
        path: '/_local/events',
        handle: async (req) => {
          const url = new URL(req.url ?? '/', 'http://localhost');
          const query = EventsQuery.safeParse(Object.fromEntries(url.searchParams));
          if (!query.success) return { status: 400, body: { title: 'Invalid request', status: 400, detail: 'limit must be 1-500' } };
          return { status: 200, body: { items: bus.recent(query.data.limit) } };
        },
      },
    ];

    const usedByRoutes = new Set<FunctionName>(ROUTES.map((r) => r.function));
    const httpHandlers = Object.fromEntries(
      (Object.keys(functions) as FunctionName[]).map((name) => [name, usedByRoutes.has(name) ? (functions![name] as unknown as LambdaHandler) : undefined]),
    ) as Record<FunctionName, LambdaHandler | undefined>;
    const server: Server = createGateway({
      handlers: httpHandlers,
      localEndpoints: [...localEndpoints, signInEndpoint(jsonOrUndefined), ...consoleEndpoints(options.webDir), ...docsEndpoints({ sesInbox: `${ses.endpoint}/` })],
      corsOrigins: options.corsOrigins ?? '*',
      isReady: () => ready,
      ...(options.logRequests ? { log: (line: string) => console.log(line) } : {}),
      health: () => health.check(),
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    stops.push(
      () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    );
    const address = server.address();
    const actualPort = typeof address === 'object' && address ? address.port : port;
    apiUrl = `http://127.0.0.1:${actualPort}`;
    ready = true;

    return {
      url: `http://127.0.0.1:${actualPort}`,
      sesUrl: ses.endpoint,
      /** Stops and restarts the local SES on its port (what tests use to show mail survives an SES outage). */
      sesOutage: {
        stop: async () => ses.stop?.(),
        restart: async () => {
          ses = await (ses.restart?.() ?? startSesLocal(sesPort));
        },
      },
      /** Failed work kept for `npm run redrive` (with a data directory only). */
      failures,
      /** Stops and restarts the local bus's PutEvents endpoint (the outbox's outage tests). */
      busOutage: bus.outage,
      dynamodbEndpoint: endpoint,
      tableName,
      /** The local warehouse: `<table>/date=<day>/<batch>.parquet` files DuckDB reads. */
      warehouseDir,
      /** The table client every local function uses (the bench counts its writes). */
      client,
      clock,
      /** Where the campaign-control adapters reach the local bus and scheduler. */
      campaignControl,
      /** The metering lines' sums per context and day (what GET /usage reads here). */
      usage: usage.source,
      /** Resolves when every stream record and bus delivery so far has been handled. */
      idle,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

export type LocalRuntime = Awaited<ReturnType<typeof startLocalRuntime>>;
