import { AsyncLocalStorage } from 'node:async_hooks';
import { type InvocationSummary, onInvocationEnd } from './invocation-end.ts';
import { type MetricValue, type MetricsSink, recordMetrics } from './metrics.ts';

// Metering (issue 14): the units each invocation consumed, written as one EMF line per invocation
// when it ends, so GET /usage can price a deployment from what it measured. No DynamoDB write per
// request: the figures travel in the log line CloudWatch already ingests.
//
// On Lambda one process serves one invocation at a time, so the process-wide tally is that
// invocation's. The local runtime serves every function in one process, concurrently: it opens a
// scope per invocation (`meteredInvocation`) and each tally follows its own async context.

export interface Tally {
  readUnits: number;
  writeUnits: number;
  eventsPut: number;
  emailsSent: number;
}

interface Scope {
  readonly tally: Tally;
  /** The function's memory when the environment does not say it (the local runtime). */
  readonly memoryMb?: number;
}

const fresh = (): Tally => ({ readUnits: 0, writeUnits: 0, eventsPut: 0, emailsSent: 0 });
const scopes = new AsyncLocalStorage<Scope>();
let processScope: Scope = { tally: fresh() };

const current = (): Scope => scopes.getStore() ?? processScope;

/** What the table client, the event publisher and the mailer report as they consume units. */
export const meter = {
  capacity(readUnits: number, writeUnits: number): void {
    const tally = current().tally;
    tally.readUnits += readUnits;
    tally.writeUnits += writeUnits;
  },
  eventsPut(count: number): void {
    current().tally.eventsPut += count;
  },
  emailsSent(count: number): void {
    current().tally.emailsSent += count;
  },
};

/** Runs one invocation with its own tally (the local runtime, where functions share a process). */
export function meteredInvocation<T>(memoryMb: number, run: () => T): T {
  return scopes.run({ tally: fresh(), memoryMb }, run);
}

/** The tally so far of the current invocation (tests and the listener). */
export function currentTally(): Readonly<Tally> {
  return { ...current().tally };
}

/** The metric names of the metering line (GET /usage reads them back; the local aggregator too). */
export const USAGE_METRICS = {
  readUnits: 'ReadUnits',
  writeUnits: 'WriteUnits',
  eventsPut: 'EventsPut',
  emailsSent: 'EmailsSent',
  invocations: 'Invocations',
  apiRequests: 'ApiRequests',
  gbSeconds: 'GbSeconds',
} as const;

/** The one dimension of the metering line. */
export const USAGE_DIMENSION = 'context';

/**
 * Writes the invocation's metering line and starts the next tally. Billed duration is the
 * duration ceiled to 1 ms (Lambda's billing granularity); memory comes from
 * AWS_LAMBDA_FUNCTION_MEMORY_SIZE. Zero counts are left out: every metric name with data costs
 * a CloudWatch custom metric for the hours it receives data (README "Metering"), so a context
 * that never sends mail never creates an EmailsSent metric. Duration and memory are properties of
 * the line (Logs Insights reads them) and GbSeconds is their metric.
 */
export function recordUsage(summary: InvocationSummary, options: { env?: NodeJS.ProcessEnv; sink?: MetricsSink; now?: Date } = {}): void {
  const scope = current();
  const tally = scope.tally;
  const env = options.env ?? process.env;
  const memoryMb = Number(env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE) || scope.memoryMb || 0;
  const billedDurationMs = Math.max(1, Math.ceil(summary.durationMs));
  const values: MetricValue[] = [{ name: USAGE_METRICS.invocations, value: 1 }];
  const add = (name: string, value: number, unit: MetricValue['unit'] = 'Count') => {
    if (value > 0) values.push({ name, value, unit });
  };
  add(USAGE_METRICS.apiRequests, summary.kind === 'http' ? 1 : 0);
  add(USAGE_METRICS.readUnits, tally.readUnits);
  add(USAGE_METRICS.writeUnits, tally.writeUnits);
  add(USAGE_METRICS.eventsPut, tally.eventsPut);
  add(USAGE_METRICS.emailsSent, tally.emailsSent);
  add(USAGE_METRICS.gbSeconds, (billedDurationMs / 1000) * (memoryMb / 1024), 'None');
  // Reset before writing: a sink that throws must not carry this invocation's units into the next.
  if (scope === processScope) processScope = { tally: fresh() };
  else Object.assign(tally, fresh());
  recordMetrics({ [USAGE_DIMENSION]: summary.context }, values, {
    properties: { billedDurationMs, memorySizeMb: memoryMb, kind: summary.kind },
    ...(options.sink ? { sink: options.sink } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
}

// Registered once, when the first module that meters is imported (never per request).
onInvocationEnd((summary) => recordUsage(summary));
