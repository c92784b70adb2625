import { fileURLToPath } from 'node:url';
import { bundleSizeSection } from './bundle.ts';
import { campaignSection } from './campaigns.ts';
import { caseEscalationSection } from './case-escalation.ts';
import { caseLatencySection } from './case-latency.ts';
import { caseRequestsSection } from './case-requests.ts';
import { clvSection } from './clv.ts';
import { apiFunctions, coldImportSection } from './cold-start.ts';
import { cubeSection } from './cube.ts';
import { benchContext, type Section } from './context.ts';
import { ingestionSection } from './ingestion.ts';
import { interactionRequestsSection } from './interaction-requests.ts';
import { customerLatencySection } from './latency.ts';
import { heading, type Figure, summaryTable } from './report.ts';
import { customerRequestsSection } from './requests.ts';
import { pipelineSection } from './pipeline.ts';
import { recommendationSection } from './recommendations.ts';
import { searchSection } from './search.ts';
import { timelineLatencySection } from './timeline.ts';
import { tokenKeysColdImportSection } from './token-keys.ts';
import { warehouseLagSection } from './warehouse.ts';
import { metricsWriterSection } from './metrics-writer.ts';
import { usageCostSection } from './usage-cost.ts';

// `npm run bench`: figures, not tests. Targets print PASS/FAIL; the exit code is non-zero only
// when the bench itself breaks. New sections (ingestion, timelines, cases) join this list.
const SECTIONS: readonly Section[] = [
  bundleSizeSection('customers'),
  // Issue 14: every API function against the yardstick; COLD_BENCH_RUNS picks the rounds (fewer while working).
  coldImportSection(apiFunctions(), Number(process.env.COLD_BENCH_RUNS ?? 20)),
  customerLatencySection({ warmup: 20, runs: 300 }),
  customerRequestsSection(),
  interactionRequestsSection(),
  ingestionSection({ customers: 50, batches: 40, concurrency: [1, 4], warmup: 3 }),
  timelineLatencySection({ interactions: 200, limit: 25, warmup: 20, runs: 300 }),
  caseLatencySection({ customers: 20, warmup: 20, runs: 200, statusPairs: 100 }),
  caseRequestsSection(),
  // Last among the sections that open cases: it saves a new current SLA policy (short 24x7 targets).
  caseEscalationSection({ cases: 20, firstResponseMinutes: 5 }),
  // Its own DynamoDB Local and runtimes: 1,000 and 10,000 recipients show whether memory stays flat.
  campaignSection({ sizes: (process.env.CAMPAIGN_BENCH_SIZES ?? '1000,10000').split(',').map(Number) }),
  // Its own DynamoDB Local; SEARCH_BENCH_ARTICLES picks the article count (small while developing).
  searchSection({ articles: Number(process.env.SEARCH_BENCH_ARTICLES ?? 5000), warmRuns: 1000, coldRuns: 10, publishRuns: 5 }),
  // Issue 12: RECO_BENCH_CUSTOMERS and RECO_BENCH_PRODUCTS pick the sizes (small while developing),
  // RECO_BENCH_THROUGH_CONSUMER how many customers' orders go through the consumer's use case.
  recommendationSection({
    customers: Number(process.env.RECO_BENCH_CUSTOMERS ?? 10_000),
    products: Number(process.env.RECO_BENCH_PRODUCTS ?? 200),
    throughConsumer: Number(process.env.RECO_BENCH_THROUGH_CONSUMER ?? 1_000),
    warmup: 20,
    runs: 300,
  }),
  // Issue 12: the pipeline counters' cost per opportunity write (items and write units per transaction).
  pipelineSection(),
  // Issue 13: export lag from a write to its Parquet row (WAREHOUSE_BENCH_INTERACTIONS, default 50).
  warehouseLagSection({ interactions: Number(process.env.WAREHOUSE_BENCH_INTERACTIONS ?? 50) }),
  // Issue 13: cube query p50/p95 with DuckDB over CUBE_BENCH_INTERACTIONS Parquet rows (default a million), DuckDB's cold start.
  cubeSection({ interactions: Number(process.env.CUBE_BENCH_INTERACTIONS ?? 1_000_000), days: 365, filesPerDay: 4, warmup: 2, runs: 20, coldRuns: 5 }),
  // Issue 13: CLV fit time and peak memory (CDNOW, CLV_BENCH_CUSTOMERS synthetic, default 100,000), score refresh cost per purchase.
  clvSection({ customers: Number(process.env.CLV_BENCH_CUSTOMERS ?? 100_000), seed: 13, tolerance: 0.15, refreshCustomers: 50, history: 5, purchases: 200, warmup: 20 }),
  // Issue 14 (section 18): cold import of the hand-written EMF writer and of Powertools Metrics.
  metricsWriterSection(20),
  // Issue 14 (section 19): the token keys on first use: cold import with the signer, and the first token's cost.
  tokenKeysColdImportSection(20),
  // Section 20 (issue 14): the cost model from the units GET /usage measured on the local runtime.
  usageCostSection({ apiCalls: Number(process.env.USAGE_BENCH_CALLS ?? 1000), recipients: Number(process.env.USAGE_BENCH_RECIPIENTS ?? 200), idleHours: Number(process.env.USAGE_BENCH_IDLE_HOURS ?? 2) }),
];

/** BENCH_SECTIONS=12 (1-based, comma-separated) runs only those sections, e.g. while working on one. */
const chosen = process.env.BENCH_SECTIONS?.split(',').map(Number);

const context = benchContext(fileURLToPath(new URL('..', import.meta.url)));

// Ctrl-C must not leave DynamoDB Local's Java process behind.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping DynamoDB Local`);
    void context.close().finally(() => process.exit(130));
  });
}

const started = performance.now();
const figures: Figure[] = [];
try {
  // A section that breaks is reported and the others still run: its figures are simply missing.
  for (const [index, section] of SECTIONS.entries()) {
    if (chosen && !chosen.includes(index + 1)) continue;
    try {
      figures.push(...(await section(context)));
    } catch (error) {
      console.error(`\n  section ${index + 1} failed:`, error);
      figures.push({ section: `section ${index + 1}`, figure: 'failed', value: 'see above', error: String(error) });
    }
  }
} finally {
  await context.close();
}
heading(`Summary (${((performance.now() - started) / 1000).toFixed(1)} s)`);
summaryTable(figures);
if (figures.some((f) => f.error)) {
  console.log('\nThe bench itself failed in places (ERROR rows); the exit code says so.');
  process.exitCode = 1;
}
