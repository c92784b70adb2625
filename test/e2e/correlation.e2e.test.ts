import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

// A request's correlationId follows what it causes through the real local runtime (gateway,
// stream, outbox publisher, bus, consumers), which runs the handlers in this process: its log
// lines are read from console.log.

let t: TestRuntime;
let customerId: string;
let lines: string[];

beforeAll(async () => {
  t = await startTestRuntime();
  customerId = (await t.call('POST', '/customers', { body: { email: 'corr-customer@example.com' } })).json.id;
  await t.call('PUT', '/queues/support', { role: 'admin', body: { members: ['ann@agents.test'], managers: ['boss@managers.test'] } });
  await t.runtime.idle();
});
afterAll(async () => {
  await t?.runtime.stop();
});

const json = (line: string) => {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
};

describe('correlationId end to end', () => {
  it('an urgent case opened with x-correlation-id: abc-123 is answered with it, and its event, consumers and mail carry it', async () => {
    lines = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((line: unknown) => void lines.push(String(line)));
    try {
      const res = await t.call('POST', '/cases', {
        headers: { 'x-correlation-id': 'abc-123' },
        body: { customerId, subject: 'Site down', channel: 'email', queue: 'support', priority: 'urgent' },
      });
      expect(res.status, res.text).toBe(201);
      expect(res.headers.get('x-correlation-id')).toBe('abc-123');
      await t.runtime.idle();
    } finally {
      spy.mockRestore();
    }
    const logged = lines.map(json).filter((l) => l !== undefined);

    // The request's own metrics line.
    expect(logged).toContainEqual(expect.objectContaining({ route: 'POST /cases', statusClass: '2xx', status: 201, correlationId: 'abc-123' }));
    // The event on the bus, and the consumer that mailed the managers: one line for it, with the event's id and type.
    const events = (await t.call('GET', '/_local/events?limit=50', { role: null })).json.items as { detailType: string; detail: { metadata: { eventId: string; correlationId: string } } }[];
    const opened = events.find((e) => e.detailType === 'CaseOpened' && e.detail.metadata.correlationId === 'abc-123');
    expect(opened).toBeDefined();
    expect(logged).toContainEqual(
      expect.objectContaining({ message: 'event handled', function: 'caseNotifications', kind: 'event', detailType: 'CaseOpened', eventId: opened!.detail.metadata.eventId, correlationId: 'abc-123', outcome: 'ok' }),
    );
    // The mail it sent went through the gate, whose metric line carries the id too.
    expect(logged).toContainEqual(expect.objectContaining({ kind: 'service', EmailsSent: 1, correlationId: 'abc-123' }));
    // No personal data in any of it.
    expect(lines.filter((l) => l.includes('abc-123')).join('\n')).not.toMatch(/corr-customer@example\.com|boss@managers\.test|Site down/);
  });

  it('uses the trace-id of a traceparent, and ignores an x-correlation-id that is too long', async () => {
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const traced = await t.call('GET', `/customers/${customerId}`, { headers: { traceparent: `00-${traceId}-b7ad6b7169203331-01` } });
    expect(traced.headers.get('x-correlation-id')).toBe(traceId);
    const tooLong = await t.call('GET', `/customers/${customerId}`, { headers: { 'x-correlation-id': 'x'.repeat(129) } });
    expect(tooLong.status).toBe(200);
    expect(tooLong.headers.get('x-correlation-id')).not.toBe('x'.repeat(129));
    expect(tooLong.headers.get('x-correlation-id')).toMatch(/\S+/);
  });
});
