import { apiEvent } from './api-event.ts';
import { breakdown, type Case, caseApi, commentRequest, openCaseRequest, type ProbedRequest, patchRequest, requestProbe } from './cases.ts';
import type { Section } from './context.ts';
import { createCustomers } from './interactions.ts';
import { type LatencyOptions, type LatencyScenario, measureLatency } from './latency.ts';
import { type Figure, heading, ms, table } from './report.ts';

export interface CaseLatencyOptions extends LatencyOptions {
  /** Customers the cases are spread over. */
  readonly customers: number;
  /** open -> pending -> open pairs (each case once), after `warmup` pairs. */
  readonly statusPairs: number;
}

/** Issue 4 "Figures": case create and comment p50/p99 (plus status changes) against DynamoDB Local. */
export function caseLatencySection(options: CaseLatencyOptions = { customers: 20, warmup: 20, runs: 200, statusPairs: 100 }): Section {
  const { customers, warmup, runs, statusPairs } = options;
  return async (context) => {
    heading(`Handler latency: cases against DynamoDB Local (${warmup} warm-up + ${runs} sequential each; ${statusPairs} status pairs)`);
    const invoke = await caseApi(context);
    const customerIds = await createCustomers(invoke, customers);
    const cases: Case[] = [];
    let comment = 0;

    const warmPairs = Math.min(warmup, statusPairs);
    const scenarios: LatencyScenario[] = [
      {
        label: 'POST /cases',
        status: 201,
        event: (i) => apiEvent(openCaseRequest(customerIds[i % customerIds.length]!)),
        observe: (body) => cases.push(body as Case),
      },
      {
        // One public comment per case: the first public staff reply, which sets firstRespondedAt.
        label: 'POST /cases/{id}/comments (first reply)',
        status: 201,
        event: (i) => apiEvent(commentRequest(cases[i % cases.length]!.id, ++comment)),
      },
      {
        // A further public reply on a case that has one: the common case after the first answer.
        label: 'POST /cases/{id}/comments (later reply)',
        status: 201,
        event: (i) => apiEvent(commentRequest(cases[i % cases.length]!.id, ++comment)),
      },
    ];
    const pairs: LatencyScenario[] = [
      { label: 'PATCH /cases/{id} open -> pending', status: 200, event: (i) => apiEvent(patchRequest(cases[i]!.id, 'pending')) },
      // Back to open: adds the paused working minutes and recomputes the resolution due time.
      { label: 'PATCH /cases/{id} pending -> open', status: 200, event: (i) => apiEvent(patchRequest(cases[i]!.id, 'open')) },
    ];
    if (warmPairs + statusPairs > warmup + runs) throw new Error('case latency: more status pairs than opened cases');

    const probe = requestProbe((await context.table()).client);
    const rows: string[][] = [['route', 'n', 'p50', 'p99', 'mean', 'max', 'DynamoDB requests, mean each ([n] = items)']];
    const figures: Figure[] = [];
    const measure = async (scenario: LatencyScenario, options: LatencyOptions) => {
      // The probe is read outside the timed span (observe runs after the clock stops).
      const runs: ProbedRequest[][] = [];
      probe.take();
      const probed: LatencyScenario = {
        ...scenario,
        observe: (body) => {
          runs.push(probe.take());
          scenario.observe?.(body);
        },
      };
      const s = await measureLatency(invoke, probed, options);
      rows.push([scenario.label, String(s.n), ms(s.p50), ms(s.p99), ms(s.mean), ms(s.max), breakdown(runs.slice(options.warmup))]);
      figures.push({ section: 'case latency', figure: `${scenario.label} p50 / p99 / mean`, value: `${ms(s.p50)} / ${ms(s.p99)} / ${ms(s.mean)}` });
    };
    for (const scenario of scenarios) await measure(scenario, { warmup, runs });
    // Each case goes open -> pending, then pending -> open: two passes over the same cases.
    for (const scenario of pairs) await measure(scenario, { warmup: warmPairs, runs: statusPairs });
    table(rows);
    console.log(`  ${cases.length} cases over ${customers} customers, queue general, priority normal, the default SLA policy`);
    return figures;
  };
}
