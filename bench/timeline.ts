import { apiEvent } from './api-event.ts';
import type { Section } from './context.ts';
import { BATCH_SIZE, batchOutcome, createCustomers, historyBatch, seededRandom } from './interactions.ts';
import { type LatencyOptions, type LatencyScenario, measureLatency } from './latency.ts';
import { type Figure, heading, ms, table } from './report.ts';

export interface TimelineOptions extends LatencyOptions {
  /** Interactions on the measured customer's timeline (sent in batches of 25). */
  readonly interactions: number;
  readonly limit: number;
}

interface Page {
  readonly items: { channel: string }[];
  readonly nextCursor: string | null;
}

export function timelineLatencySection(options: TimelineOptions = { interactions: 200, limit: 25, warmup: 20, runs: 300 }): Section {
  const { interactions, limit, warmup, runs } = options;
  return async (context) => {
    heading(`Timeline latency: GET /customers/{id}/timeline?limit=${limit}, ${interactions} interactions (${warmup} warm-up + ${runs} sequential each)`);
    const invoke = await context.customers();
    const [id] = await createCustomers(invoke, 1);
    const random = seededRandom(11);
    let web = 0;
    for (let seeded = 0; seeded < interactions; seeded += BATCH_SIZE) {
      const request = historyBatch(random, id!, Math.min(BATCH_SIZE, interactions - seeded));
      const sent = (request.body as { items: { channel: string }[] }).items;
      const outcome = batchOutcome(await invoke(apiEvent(request)), sent.length);
      if (outcome.errors.length) throw new Error(`set-up POST /interactions: ${outcome.errors.slice(0, 3).join('; ')}`);
      web += sent.filter((i) => i.channel === 'web').length;
    }
    console.log(`  one customer, ${interactions} interactions over the past 30 days (${web} web, ${interactions - web} other channels)`);

    const variants: { label: string; query: Record<string, string> }[] = [
      { label: `?limit=${limit}`, query: { limit: String(limit) } },
      { label: `?limit=${limit}&channel=web`, query: { limit: String(limit), channel: 'web' } },
    ];
    const rows: string[][] = [['query', 'p50', 'p99', 'mean', 'max', 'items per page', 'nextCursor']];
    const figures: Figure[] = [];
    const shortPages: string[] = [];
    for (const { label, query } of variants) {
      const pageSizes: number[] = [];
      let withCursor = 0;
      const scenario: LatencyScenario = {
        label: `GET /customers/{id}/timeline${label}`,
        status: 200,
        event: () => apiEvent({ route: 'GET /customers/{id}/timeline', pathParameters: { id: id! }, query }),
        observe: (body) => {
          const page = body as Page;
          pageSizes.push(page.items.length);
          if (page.nextCursor) withCursor++;
          if (query.channel && page.items.some((i) => i.channel !== query.channel)) throw new Error(`${label}: a page holds another channel`);
        },
      };
      const s = await measureLatency(invoke, scenario, { warmup, runs });
      const minItems = Math.min(...pageSizes);
      const maxItems = Math.max(...pageSizes);
      const items = minItems === maxItems ? String(minItems) : `${minItems}-${maxItems}`;
      rows.push([label, ms(s.p50), ms(s.p99), ms(s.mean), ms(s.max), `${items} (limit ${limit})`, `${withCursor}/${pageSizes.length}`]);
      figures.push({ section: 'timeline', figure: `GET timeline${label} p50 / p99 / mean`, value: `${ms(s.p50)} / ${ms(s.p99)} / ${ms(s.mean)}` });
      if (query.channel) {
        figures.push({ section: 'timeline', figure: `GET timeline${label} items per page`, value: `${items} of ${limit}` });
        if (maxItems < limit && web >= limit) shortPages.push(`${label}: ${items} items per page although ${web} match`);
      }
    }
    table(rows);
    for (const note of shortPages) console.log(`  note: ${note} (DynamoDB applies Limit before the FilterExpression)`);
    return figures;
  };
}
