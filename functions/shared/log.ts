import { AsyncLocalStorage } from 'node:async_hooks';

// One JSON line per log call, with the correlationId of the request or event being handled: the
// HTTP app and the consumer wrapper run each invocation inside `withCorrelation`, so a line logged
// anywhere below them (a use case's adapter, the outbox, a retry) carries the id without every
// call site passing it. Outside an invocation (a cold start, a test) the line has no correlationId.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const current = new AsyncLocalStorage<string>();

/** Runs `fn` with `correlationId` as the id every log line below it carries. */
export function withCorrelation<T>(correlationId: string, fn: () => T): T {
  return current.run(correlationId, fn);
}

/** The correlationId of the request or event being handled, if any. */
export function currentCorrelationId(): string | undefined {
  return current.getStore();
}

/** Writes one JSON log line. Never pass personal data (no emails, names, bodies, free text). */
export function log(level: LogLevel, message: string, fields: Readonly<Record<string, unknown>> = {}): void {
  const correlationId = current.getStore();
  const line = JSON.stringify({ level, message, ...fields, ...(correlationId === undefined ? {} : { correlationId }) });
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.log(line);
}

const MAX_CORRELATION_ID = 128;
/** Printable ASCII without spaces: what can go back in a header and into a log line unescaped. */
const PRINTABLE = /^[\x21-\x7e]+$/;
/** W3C trace context: version-traceid-parentid-flags; an all-zero trace id is invalid. */
const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;

/**
 * The correlationId of a request: the caller's `x-correlation-id` when it is printable and at
 * most 128 characters, else the trace-id of a valid `traceparent`, else the gateway's request id.
 * Headers are lower-cased (as API Gateway delivers them).
 */
export function correlationIdOf(headers: Readonly<Record<string, string | undefined>>, requestId: string): string {
  const given = headers['x-correlation-id']?.trim();
  if (given && given.length <= MAX_CORRELATION_ID && PRINTABLE.test(given)) return given;
  const traceId = TRACEPARENT.exec(headers.traceparent?.trim().toLowerCase() ?? '')?.[1];
  if (traceId && !/^0+$/.test(traceId)) return traceId;
  return requestId;
}
