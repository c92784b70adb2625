import { performance } from 'node:perf_hooks';
import type { ApiEvent, ApiResult } from '#functions/shared/http-app.ts';
import { apiEvent, expectStatus, type Invoke } from './api-event.ts';
import type { Section } from './context.ts';
import { type Figure, heading, ms, table } from './report.ts';
import { createRequest } from './requests.ts';
import { type Summary, summarize } from './stats.ts';

export interface LatencyScenario {
  readonly label: string;
  readonly status: number;
  /** The i-th request (warm-up requests included, so every index is distinct). */
  event(i: number): ApiEvent;
  /** Sees each parsed response body outside the timed span, e.g. to collect created ids. */
  observe?(body: unknown): void;
}

export interface LatencyOptions {
  readonly warmup: number;
  readonly runs: number;
}

/**
 * Sequential in-process invocations of the handler: the time a warm Lambda spends per request,
 * DynamoDB Local's round trips included, API Gateway and the Lambda service excluded.
 */
export async function measureLatency(invoke: Invoke, scenario: LatencyScenario, { warmup, runs }: LatencyOptions): Promise<Summary> {
  const samples: number[] = [];
  for (let i = 0; i < warmup + runs; i++) {
    const event = scenario.event(i);
    const t0 = performance.now();
    const result: ApiResult = await invoke(event);
    const elapsed = performance.now() - t0;
    scenario.observe?.(expectStatus(result, scenario.status, scenario.label));
    if (i >= warmup) samples.push(elapsed);
  }
  return summarize(samples);
}

export function customerLatencySection({ warmup, runs }: LatencyOptions = { warmup: 20, runs: 300 }): Section {
  return async (context) => {
    heading(`Handler latency: customers against DynamoDB Local (${warmup} warm-up + ${runs} sequential each)`);
    const invoke = await context.customers();
    const ids: string[] = [];
    const scenarios: LatencyScenario[] = [
      {
        label: 'POST /customers',
        status: 201,
        event: () => apiEvent(createRequest()),
        observe: (body) => ids.push((body as { id: string }).id),
      },
      {
        label: 'GET /customers/{id}',
        status: 200,
        event: (i) => apiEvent({ route: 'GET /customers/{id}', pathParameters: { id: ids[i % ids.length]! } }),
      },
    ];
    const rows: string[][] = [['route', 'p50', 'p99', 'mean', 'max']];
    const figures: Figure[] = [];
    for (const scenario of scenarios) {
      const s = await measureLatency(invoke, scenario, { warmup, runs });
      rows.push([scenario.label, ms(s.p50), ms(s.p99), ms(s.mean), ms(s.max)]);
      figures.push({ section: 'latency', figure: `${scenario.label} p50 / p99`, value: `${ms(s.p50)} / ${ms(s.p99)}` });
    }
    table(rows);
    return figures;
  };
}
