import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { customersHandler } from '#functions/customers/customers.app.ts';
import { type InvocationSummary, onInvocationEnd } from '#functions/shared/invocation-end.ts';
import { correlationIdOf, currentCorrelationId, log, withCorrelation } from '#functions/shared/log.ts';
import { observedConsumer } from '#functions/shared/observed-consumer.ts';
import { claimsFor, invoke } from '../support/api-gateway.ts';
import { fakeClock, fakeCustomerRepository, sequentialIds } from '../support/fakes.ts';
import { fakeErasureRequests } from '../support/erasure-fakes.ts';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const TRACEPARENT = `00-${TRACE_ID}-00f067aa0ba902b7-01`;

// One listener for the whole file (listeners are module-level and never removed); each test reads what it caused.
const ended: InvocationSummary[] = [];
onInvocationEnd((summary) => ended.push(summary));

let lines: string[];
let spies: ReturnType<typeof vi.spyOn>[];
beforeEach(() => {
  lines = [];
  ended.length = 0;
  const capture = (line: unknown) => void lines.push(String(line));
  spies = [vi.spyOn(console, 'log').mockImplementation(capture), vi.spyOn(console, 'warn').mockImplementation(capture), vi.spyOn(console, 'error').mockImplementation(capture)];
});
afterEach(() => spies.forEach((s) => s.mockRestore()));

const all = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
// The metering listener (functions/shared/metering.ts, its own tests) writes a usage line of its own
// at each invocation's end: these tests read the log lines and the request's metrics line.
const isUsage = (l: Record<string, unknown>) => l._aws !== undefined && l.Invocations !== undefined;
const parsed = () => all().filter((l) => !isUsage(l));

describe('correlationIdOf', () => {
  it('takes a printable x-correlation-id of at most 128 characters', () => {
    expect(correlationIdOf({ 'x-correlation-id': 'abc-123' }, 'req-1')).toBe('abc-123');
    expect(correlationIdOf({ 'x-correlation-id': 'a'.repeat(128) }, 'req-1')).toBe('a'.repeat(128));
  });

  it('ignores one that is too long, empty or not printable, and falls back to traceparent, then the request id', () => {
    expect(correlationIdOf({ 'x-correlation-id': 'a'.repeat(129) }, 'req-1')).toBe('req-1');
    expect(correlationIdOf({ 'x-correlation-id': 'two words' }, 'req-1')).toBe('req-1');
    expect(correlationIdOf({ 'x-correlation-id': 'line\nbreak', traceparent: TRACEPARENT }, 'req-1')).toBe(TRACE_ID);
    expect(correlationIdOf({ 'x-correlation-id': 'ünï' }, 'req-1')).toBe('req-1');
    expect(correlationIdOf({ 'x-correlation-id': '' }, 'req-1')).toBe('req-1');
  });

  it("takes the trace-id of a valid traceparent, never an all-zero or malformed one", () => {
    expect(correlationIdOf({ traceparent: TRACEPARENT }, 'req-1')).toBe(TRACE_ID);
    expect(correlationIdOf({ traceparent: `00-${'0'.repeat(32)}-00f067aa0ba902b7-01` }, 'req-1')).toBe('req-1');
    expect(correlationIdOf({ traceparent: `00-${TRACE_ID}-01` }, 'req-1')).toBe('req-1');
    expect(correlationIdOf({}, 'req-1')).toBe('req-1');
  });
});

describe('log', () => {
  it('adds the correlationId of the invocation it runs in, across awaits, and none outside', async () => {
    log('info', 'outside');
    await withCorrelation('corr-1', async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      log('warn', 'inside', { count: 2 });
    });
    expect(parsed()).toEqual([
      { level: 'info', message: 'outside' },
      { level: 'warn', message: 'inside', count: 2, correlationId: 'corr-1' },
    ]);
    expect(currentCorrelationId()).toBeUndefined();
  });
});

describe('the HTTP app', () => {
  const handler = () => {
    const clock = fakeClock('2025-01-15T09:00:00.000Z');
    return customersHandler({ customers: fakeCustomerRepository({ clock }), clock, ids: sequentialIds('c'), erasureRequests: fakeErasureRequests() });
  };

  it('writes one metrics line per request with its context, route and status class, answers x-correlation-id and reports the invocation', async () => {
    const response = await invoke(handler(), { routeKey: 'POST /customers', body: { email: 'ada@example.com' }, headers: { 'X-Correlation-Id': 'abc-123' }, claims: claimsFor(['agent']) });
    expect(response.statusCode).toBe(201);
    expect(response.headers['x-correlation-id']).toBe('abc-123');
    const metrics = parsed().filter((l) => l._aws);
    expect(metrics).toHaveLength(1);
    expect(metrics[0]).toMatchObject({
      context: 'customers',
      route: 'POST /customers',
      statusClass: '2xx',
      status: 201,
      correlationId: 'abc-123',
      Requests: 1,
      Latency: expect.any(Number),
      _aws: { CloudWatchMetrics: [{ Namespace: 'eCRM', Dimensions: [['context', 'route', 'statusClass']] }] },
    });
    expect(JSON.stringify(metrics[0])).not.toContain('ada@example.com');
    expect(ended).toEqual([{ context: 'customers', kind: 'http', name: 'POST /customers', outcome: '201', durationMs: expect.any(Number), correlationId: 'abc-123' }]);
  });

  it('answers problems with the correlationId too, and counts a route it does not serve as unmatched', async () => {
    const response = await invoke(handler(), { routeKey: 'GET /nowhere', headers: { traceparent: TRACEPARENT }, claims: claimsFor(['agent']) });
    expect(response.statusCode).toBe(404);
    expect(response.headers['x-correlation-id']).toBe(TRACE_ID);
    expect(parsed().find((l) => l._aws)).toMatchObject({ route: 'unmatched', statusClass: '4xx', status: 404 });
  });

  it('uses the gateway request id when the caller sends none', async () => {
    const response = await invoke(handler(), { routeKey: 'GET /customers/{id}', pathParameters: { id: 'c-404' }, claims: claimsFor(['agent']) });
    expect(response.statusCode).toBe(404);
    expect(response.headers['x-correlation-id']).toMatch(/^req-\d+$/);
  });
});

describe('observedConsumer', () => {
  const ourEvent = (detail: unknown) => ({ id: 'bus-1', 'detail-type': 'CaseSlaBreached', source: 'crm.cases', detail }) as never;

  it('runs the event with its correlationId and logs one line of what happened to it, without its data', async () => {
    const consumer = observedConsumer('caseEscalation', async () => {
      log('info', 'inner');
      return { outcome: 'escalated' };
    });
    await consumer(ourEvent({ data: { caseId: 'case-1', note: 'secret' }, metadata: { eventId: 'ev-1', correlationId: 'abc-123' } }));
    expect(parsed()).toEqual([
      { level: 'info', message: 'inner', correlationId: 'abc-123' },
      { level: 'info', message: 'event handled', function: 'caseEscalation', kind: 'event', name: 'CaseSlaBreached', eventId: 'ev-1', detailType: 'CaseSlaBreached', outcome: 'escalated', durationMs: expect.any(Number), correlationId: 'abc-123' },
    ]);
    expect(lines.join('\n')).not.toContain('secret');
    expect(ended).toEqual([{ context: 'cases', kind: 'event', name: 'CaseSlaBreached', outcome: 'escalated', durationMs: expect.any(Number), correlationId: 'abc-123' }]);
  });

  it('logs a failure with the error name only, reports it and throws it on (the retry)', async () => {
    const consumer = observedConsumer('emailFeedback', async () => {
      throw new TypeError('bad input from someone@example.com');
    });
    await expect(consumer({ id: 'ses-1', 'detail-type': 'Bounce', detail: {} } as never)).rejects.toThrow(TypeError);
    expect(parsed()).toEqual([
      { level: 'error', message: 'event failed', function: 'emailFeedback', kind: 'event', name: 'Bounce', eventId: 'ses-1', detailType: 'Bounce', error: 'TypeError', correlationId: 'ses-1' },
    ]);
    expect(ended[0]).toMatchObject({ context: 'consent', outcome: 'failed', correlationId: 'ses-1' });
  });

  it('says what a stream batch and a schedule were', async () => {
    await observedConsumer('outboxPublisher', async () => ({ batchItemFailures: [{ itemIdentifier: '1' }] }))({ Records: [{}, {}] } as never, { awsRequestId: 'lambda-1' });
    await observedConsumer('slaSweeper', async () => ({ warnings: 1, breaches: 0 }))({ id: 'tick-1', 'detail-type': 'Scheduled Event', detail: {} } as never);
    expect(parsed()).toEqual([
      { level: 'info', message: 'event handled', function: 'outboxPublisher', kind: 'stream', name: 'records', records: 2, outcome: 'partial', durationMs: expect.any(Number), correlationId: 'lambda-1' },
      { level: 'info', message: 'event handled', function: 'slaSweeper', kind: 'schedule', name: 'schedule', eventId: 'tick-1', outcome: 'ok', durationMs: expect.any(Number), correlationId: 'tick-1' },
    ]);
    expect(ended.map((s) => [s.context, s.kind, s.outcome])).toEqual([
      ['platform', 'stream', 'partial'],
      ['cases', 'schedule', 'ok'],
    ]);
  });
});
