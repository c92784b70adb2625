import { describe, expect, it } from 'vitest';
import { type InvocationSummary } from '#functions/shared/invocation-end.ts';
import { currentTally, meter, meteredInvocation, recordUsage } from '#functions/shared/metering.ts';

const http: InvocationSummary = { context: 'cases', kind: 'http', name: 'GET /cases/{id}', outcome: '200', durationMs: 12.2 };
const at = new Date('2026-03-04T05:06:07Z');

function lines() {
  const out: Record<string, unknown>[] = [];
  return { out, sink: (line: string) => void out.push(JSON.parse(line) as Record<string, unknown>) };
}

describe('recordUsage (the invocation-end listener of the metering)', () => {
  it('writes one EMF line per invocation with its units, billed duration and memory, and starts a new tally', () => {
    const { out, sink } = lines();
    meteredInvocation(1024, () => {
      meter.capacity(2.5, 3);
      meter.eventsPut(2);
      meter.emailsSent(1);
      recordUsage(http, { sink, env: { AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512' }, now: at });
      expect(currentTally()).toEqual({ readUnits: 0, writeUnits: 0, eventsPut: 0, emailsSent: 0 });
    });
    expect(out).toHaveLength(1);
    const line = out[0]!;
    expect(line).toMatchObject({
      context: 'cases',
      kind: 'http',
      ReadUnits: 2.5,
      WriteUnits: 3,
      EventsPut: 2,
      EmailsSent: 1,
      Invocations: 1,
      ApiRequests: 1,
      billedDurationMs: 13,
      memorySizeMb: 512,
      GbSeconds: 0.013 * 0.5,
    });
    expect(line._aws).toMatchObject({ Timestamp: at.getTime(), CloudWatchMetrics: [{ Namespace: 'eCRM', Dimensions: [['context']] }] });
  });

  it('leaves out zero counts (each metric name costs a custom metric) and takes the scope\'s memory without the variable', () => {
    const { out, sink } = lines();
    meteredInvocation(256, () => recordUsage({ ...http, kind: 'event', durationMs: 1000 }, { sink, env: {} }));
    const names = ((out[0]!._aws as { CloudWatchMetrics: { Metrics: { Name: string }[] }[] }).CloudWatchMetrics[0]!.Metrics).map((m) => m.Name);
    expect(names).toEqual(['Invocations', 'GbSeconds']);
    expect(out[0]!.GbSeconds).toBe(0.25);
  });

  it('keeps concurrent invocations apart (the local runtime serves them in one process)', async () => {
    const { out, sink } = lines();
    const pause = () => new Promise((resolve) => setTimeout(resolve, 5));
    await Promise.all([
      meteredInvocation(512, async () => {
        meter.capacity(1, 0);
        await pause();
        meter.capacity(1, 0);
        recordUsage({ ...http, context: 'a' }, { sink, env: {} });
      }),
      meteredInvocation(512, async () => {
        meter.capacity(0, 5);
        await pause();
        recordUsage({ ...http, context: 'b' }, { sink, env: {} });
      }),
    ]);
    const byContext = Object.fromEntries(out.map((l) => [l.context, [l.ReadUnits ?? 0, l.WriteUnits ?? 0]]));
    expect(byContext).toEqual({ a: [2, 0], b: [0, 5] });
  });

  it('tallies per process outside a scope (Lambda: one invocation at a time) and resets after each line', () => {
    const { out, sink } = lines();
    meter.capacity(1, 1);
    recordUsage(http, { sink, env: { AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128' } });
    recordUsage(http, { sink, env: { AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128' } });
    expect(out.map((l) => [l.ReadUnits, l.WriteUnits])).toEqual([
      [1, 1],
      [undefined, undefined],
    ]);
  });
});
