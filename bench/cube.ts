import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { CHANNELS } from '#domain/customers/interaction.schema.ts';
import { cubeReports } from '#domain/analytics/cube.use-cases.ts';
import type { CubeQueryParams } from '#domain/analytics/cube.schema.ts';
import type { WarehouseRow } from '#domain/analytics/warehouse-rows.ts';
import { duckDbCubeEngine } from '#functions/analytics/cube-duckdb.engine.ts';
import { fileObjectStore } from '#functions/warehouse/file-object-store.ts';
import { parquetWarehouseWriter } from '#functions/warehouse/parquet-warehouse-writer.ts';
import type { Section } from './context.ts';
import { type Figure, heading, kb, ms, table } from './report.ts';
import { summarize } from './stats.ts';

const run = promisify(execFile);

export interface CubeBenchOptions {
  /** Interaction rows written as Parquet (1,000,000 for the figure). */
  readonly interactions: number;
  /** Days they spread over (the last ends 2026-11-30), and files per day (the export writes one per batch). */
  readonly days: number;
  readonly filesPerDay: number;
  readonly warmup: number;
  readonly runs: number;
  /** Fresh processes for the cold-start figures. */
  readonly coldRuns: number;
}

/** mulberry32: a seeded generator, so every run writes the same files. */
function seeded(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TYPES = ['visit', 'page_view', 'call', 'chat', 'purchase'] as const;
const hex = (random: () => number, length: number) => Array.from({ length }, () => Math.floor(random() * 16).toString(16)).join('');

/** The interactions table as the export would hold it, written by the export's own Parquet writer (hyparquet-writer, hive `date=` folders). */
async function writeInteractions(dir: string, options: CubeBenchOptions): Promise<{ files: number; bytes: number }> {
  const random = seeded(13);
  const writer = parquetWarehouseWriter(fileObjectStore(dir));
  const pseudonyms = Array.from({ length: 20_000 }, () => `${hex(random, 8)}-${hex(random, 4)}-4${hex(random, 3)}-8${hex(random, 3)}-${hex(random, 12)}`);
  const last = Date.UTC(2026, 10, 30);
  const perFile = Math.ceil(options.interactions / (options.days * options.filesPerDay));
  let written = 0;
  let files = 0;
  let bytes = 0;
  for (let d = options.days - 1; d >= 0 && written < options.interactions; d--) {
    const date = new Date(last - d * 86_400_000).toISOString().slice(0, 10);
    for (let f = 0; f < options.filesPerDay && written < options.interactions; f++) {
      const rows: WarehouseRow[] = [];
      for (let i = 0; i < perFile && written < options.interactions; i++, written++) {
        const type = TYPES[Math.floor(random() * TYPES.length)]!;
        const at = `${date}T${String(Math.floor(random() * 24)).padStart(2, '0')}:${String(Math.floor(random() * 60)).padStart(2, '0')}:00.000Z`;
        const purchase = type === 'purchase';
        rows.push({
          interaction_id: hex(random, 32),
          pseudonym: pseudonyms[Math.floor(random() * pseudonyms.length)]!,
          kind: 'interaction',
          channel: CHANNELS[Math.floor(random() * CHANNELS.length)]!,
          type,
          direction: type === 'call' ? (random() < 0.5 ? 'inbound' : 'outbound') : null,
          amount: purchase ? Math.round(random() * 20_000) / 100 : null,
          currency: purchase ? (random() < 0.8 ? 'EUR' : 'USD') : null,
          skus: purchase ? `SKU-${Math.floor(random() * 500)}` : null,
          occurred_at: at,
          recorded_at: at,
        });
      }
      const key = await writer.write({ table: 'interactions', date, batchId: hex(random, 32), rows });
      bytes += (await stat(join(dir, key))).size;
      files++;
    }
  }
  return { files, bytes };
}

/**
 * Issue 13 "Figures": cube query p50/p95 over a million interactions with DuckDB, reading Parquet
 * files the export's writer wrote (seeded, generated directly: a million API calls would measure
 * the API), in the local runtime's engine; and what DuckDB costs a fresh process (import, first
 * instance, first cube query over those files).
 */
export function cubeSection(options: CubeBenchOptions): Section {
  return async (context) => {
    heading(`Cube over the warehouse with DuckDB (${options.interactions.toLocaleString('en')} interactions, ${options.days} days, ${options.filesPerDay} files a day)`);
    const dir = await mkdtemp(join(tmpdir(), 'crm-cube-bench-'));
    try {
      const writeStarted = performance.now();
      const { files, bytes } = await writeInteractions(dir, options);
      const writeMs = performance.now() - writeStarted;
      table([
        ['files', 'Parquet size', 'written in'],
        [String(files), kb(bytes), ms(writeMs)],
      ]);

      const cube = cubeReports({ engine: duckDbCubeEngine(dir) });
      const year = { from: '2025-12-01', to: '2026-11-30' };
      const queries: [string, CubeQueryParams][] = [
        ['interactions by day and channel, a year', { measure: 'interactions', ...year }],
        ['interactions by type, channel web, a year', { measure: 'interactions', by: 'type', filter: 'channel:web', ...year }],
        ['revenue by month and currency, a year', { measure: 'revenue', ...year }],
        ['interactions by day and channel, one month', { measure: 'interactions', from: '2026-11-01', to: '2026-11-30' }],
      ];
      const figures: Figure[] = [];
      const rows: string[][] = [['query', 'rows', 'p50', 'p95', 'max']];
      for (const [name, query] of queries) {
        let answerRows = 0;
        for (let i = 0; i < options.warmup; i++) await cube.query(query);
        const samples: number[] = [];
        for (let i = 0; i < options.runs; i++) {
          const started = performance.now();
          const answer = await cube.query(query);
          samples.push(performance.now() - started);
          answerRows = 'rows' in answer ? answer.rows.length : 0;
        }
        const summary = summarize(samples);
        const p95 = [...samples].sort((a, b) => a - b)[Math.max(0, Math.ceil(0.95 * samples.length) - 1)]!;
        rows.push([name, String(answerRows), ms(summary.p50), ms(p95), ms(summary.max)]);
        figures.push({ section: 'cube', figure: `${name}: p50`, value: ms(summary.p50) }, { section: 'cube', figure: `${name}: p95`, value: ms(p95) });
      }
      table(rows);

      // A fresh Node process per sample: import @duckdb/node-api, open an instance, run the first cube query over the files.
      const engineUrl = pathToFileURL(join(context.root, 'functions/analytics/cube-duckdb.engine.ts')).href;
      const useCaseUrl = pathToFileURL(join(context.root, 'domain/analytics/cube.use-cases.ts')).href;
      const script = [
        'const t0 = performance.now();',
        "const { DuckDBInstance } = await import('@duckdb/node-api');",
        'const imported = performance.now() - t0;',
        "const instance = await DuckDBInstance.create(':memory:');",
        "await (await instance.connect()).runAndReadAll('SELECT 1');",
        'const opened = performance.now() - t0;',
        `const { duckDbCubeEngine } = await import(${JSON.stringify(engineUrl)});`,
        `const { cubeReports } = await import(${JSON.stringify(useCaseUrl)});`,
        'const t1 = performance.now();',
        `await cubeReports({ engine: duckDbCubeEngine(${JSON.stringify(dir)}) }).query(${JSON.stringify(queries[0]![1])});`,
        'const firstQuery = performance.now() - t1;',
        'console.log(JSON.stringify({ imported, opened, firstQuery }));',
      ].join('\n');
      const cold: { imported: number; opened: number; firstQuery: number }[] = [];
      for (let i = 0; i <= options.coldRuns; i++) {
        const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: context.root, timeout: 120_000 });
        if (i > 0) cold.push(JSON.parse(stdout)); // the first run warms the disk cache
      }
      const imported = summarize(cold.map((c) => c.imported));
      const opened = summarize(cold.map((c) => c.opened));
      const firstQuery = summarize(cold.map((c) => c.firstQuery));
      table([
        ['fresh process (median of ' + cold.length + ')', 'import @duckdb/node-api', 'import + instance + SELECT 1', 'first cube query (a year by day and channel)'],
        ['', ms(imported.median), ms(opened.median), ms(firstQuery.median)],
      ]);
      figures.push(
        { section: 'cube', figure: 'DuckDB cold start: import (median)', value: ms(imported.median) },
        { section: 'cube', figure: 'DuckDB cold start: import + instance + first query (median)', value: ms(opened.median) },
        { section: 'cube', figure: 'first cube query in a fresh process (median)', value: ms(firstQuery.median) },
      );
      return figures;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };
}
