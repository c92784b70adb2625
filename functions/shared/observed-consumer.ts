import { randomUUID } from 'node:crypto';
import { contextOfFunction } from '#infra/contexts.ts';
import type { FunctionName } from '#infra/routes.ts';
import { type InvocationSummary, invocationEnded } from './invocation-end.ts';
import { log, withCorrelation } from './log.ts';

// Every function that is not an API (rule targets, stream consumers, schedules) is wrapped by
// this once, in its Lambda entry and in the local runtime: the event runs with its correlationId
// (log lines, events it causes), and ends with one log line saying what happened to which event
// (ids and types only, never the event's data) and `invocationEnded`.

type Handler<E, R, C> = (event: E, lambda?: C) => Promise<R> | R;

interface Described {
  readonly kind: InvocationSummary['kind'];
  readonly name: string;
  readonly correlationId: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

const SHORT_WORD = /^[a-z][a-z0-9-]{0,39}$/;

export function observedConsumer<E, R, C = unknown>(fn: FunctionName, handler: Handler<E, R, C>): (event: E, lambda?: C) => Promise<R> {
  const context = contextOfFunction(fn);
  return async (event, lambda) => {
    const { kind, name, correlationId, fields } = describe(event, requestIdOf(lambda));
    const started = performance.now();
    return withCorrelation(correlationId, async () => {
      let outcome = 'failed';
      try {
        const result = await handler(event, lambda);
        outcome = outcomeOf(result);
        return result;
      } catch (error) {
        log('error', 'event failed', { function: fn, kind, name, ...fields, error: error instanceof Error ? error.name : typeof error });
        throw error;
      } finally {
        const durationMs = Math.round(performance.now() - started);
        if (outcome !== 'failed') log('info', 'event handled', { function: fn, kind, name, ...fields, outcome, durationMs });
        invocationEnded({ context, kind, name, outcome, durationMs, correlationId });
      }
    });
  };
}

function requestIdOf(lambda: unknown): string | undefined {
  const id = (lambda as { awsRequestId?: unknown } | undefined)?.awsRequestId;
  return typeof id === 'string' ? id : undefined;
}

/** 'ok', or the handler's own one-word outcome (`recorded`, `duplicate`, `skipped`...), or 'partial' for a stream batch with failures. */
function outcomeOf(result: unknown): string {
  if (typeof result !== 'object' || result === null) return 'ok';
  const failures = (result as { batchItemFailures?: unknown }).batchItemFailures;
  if (Array.isArray(failures)) return failures.length > 0 ? 'partial' : 'ok';
  const own = (result as { outcome?: unknown }).outcome;
  return typeof own === 'string' && SHORT_WORD.test(own) ? own : 'ok';
}

function describe(event: unknown, requestId: string | undefined): Described {
  const e = (event ?? {}) as Record<string, unknown>;
  const fallback = requestId ?? randomUUID();
  if (Array.isArray(e.Records)) {
    return { kind: 'stream', name: 'records', correlationId: fallback, fields: { records: e.Records.length } };
  }
  const detailType = e['detail-type'];
  if (typeof detailType === 'string') {
    const eventId = typeof e.id === 'string' ? e.id : undefined;
    if (detailType === 'Scheduled Event') return { kind: 'schedule', name: 'schedule', correlationId: eventId ?? fallback, fields: { eventId } };
    // Our own events carry their id and the correlationId of the request that caused them.
    const metadata = ((e.detail as { metadata?: { eventId?: unknown; correlationId?: unknown } } | undefined)?.metadata ?? {});
    const ownId = typeof metadata.eventId === 'string' ? metadata.eventId : eventId;
    const correlationId = typeof metadata.correlationId === 'string' && metadata.correlationId ? metadata.correlationId : (eventId ?? fallback);
    return { kind: 'event', name: detailType, correlationId, fields: { eventId: ownId, detailType } };
  }
  // A one-off schedule's own payload (EventBridge Scheduler), which may name the correlationId it was set up under.
  const given = typeof e.correlationId === 'string' && e.correlationId ? e.correlationId : fallback;
  return { kind: 'schedule', name: 'one-off', correlationId: given, fields: {} };
}
