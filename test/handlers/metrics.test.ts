import { describe, expect, it } from 'vitest';
import { METRICS_NAMESPACE, recordMetrics } from '#functions/shared/metrics.ts';

describe('recordMetrics (CloudWatch embedded metric format)', () => {
  it('writes one line that declares each value as a metric under the given dimensions', () => {
    const lines: string[] = [];
    recordMetrics(
      { context: 'cases', route: 'GET /cases/{id}', status: '200' },
      [{ name: 'Requests', value: 1 }, { name: 'Latency', value: 12.5, unit: 'Milliseconds' }],
      { properties: { correlationId: 'c-1' }, sink: (l) => lines.push(l), now: new Date('2026-12-01T10:00:00Z') },
    );
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toEqual({
      _aws: {
        Timestamp: Date.parse('2026-12-01T10:00:00Z'),
        CloudWatchMetrics: [{ Namespace: METRICS_NAMESPACE, Dimensions: [['context', 'route', 'status']], Metrics: [{ Name: 'Requests', Unit: 'Count' }, { Name: 'Latency', Unit: 'Milliseconds' }] }],
      },
      context: 'cases',
      route: 'GET /cases/{id}',
      status: '200',
      correlationId: 'c-1',
      Requests: 1,
      Latency: 12.5,
    });
  });

  it('keeps a dimension from being overwritten by a property of the same name', () => {
    const lines: string[] = [];
    recordMetrics({ context: 'consent' }, [{ name: 'EmailsSent', value: 2 }], { properties: { context: 'other' }, sink: (l) => lines.push(l) });
    expect(JSON.parse(lines[0]!).context).toBe('consent');
  });

  it('writes nothing for no values', () => {
    const lines: string[] = [];
    recordMetrics({ context: 'cases' }, [], { sink: (l) => lines.push(l) });
    expect(lines).toEqual([]);
  });
});
