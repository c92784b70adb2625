import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cubeReports, CubeQueryNotFoundError } from '#domain/analytics/cube.use-cases.ts';
import type { WarehouseRow, WarehouseTable } from '#domain/analytics/warehouse-rows.ts';
import { duckDbCubeEngine } from '#functions/analytics/cube-duckdb.engine.ts';
import { fileObjectStore } from '#functions/warehouse/file-object-store.ts';
import { parquetWarehouseWriter } from '#functions/warehouse/parquet-warehouse-writer.ts';

// DuckDB over files the export's own writer wrote (hyparquet-writer, hive `date=` folders): each
// measure's dedup (the latest row of an entity), its partition bounds and its filters.

let dir: string;
const cube = () => cubeReports({ engine: duckDbCubeEngine(dir) });
let batch = 0;
const write = (table: WarehouseTable, date: string, rows: WarehouseRow[]) =>
  parquetWarehouseWriter(fileObjectStore(dir)).write({ table, date, batchId: `b${String(++batch).padStart(4, '0')}`, rows });

const interaction = (id: string, date: string, over: Partial<Record<string, string | number | null>> = {}): WarehouseRow => ({
  interaction_id: id, pseudonym: 'p1', kind: 'interaction', channel: 'web', type: 'visit', direction: null, amount: null, currency: null, skus: null,
  occurred_at: `${date}T10:00:00.000Z`, recorded_at: `${date}T10:00:01.000Z`, ...over,
});
const kase = (id: string, version: number, over: Partial<Record<string, string | number | boolean | null>> = {}): WarehouseRow => ({
  case_id: id, pseudonym: 'p1', queue: 'support', priority: 'high', status: 'open', channel: 'email', escalation_level: 0, first_response_breached: false,
  resolution_breached: false, satisfaction_score: null, created_at: '2026-03-01T09:00:00.000Z', first_responded_at: null, solved_at: null, closed_at: null,
  updated_at: '2026-03-01T09:00:00.000Z', version, ...over,
});

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crm-cube-'));
  await write('interactions', '2026-03-01', [interaction('i1', '2026-03-01'), interaction('i2', '2026-03-01', { channel: 'phone', type: 'call' })]);
  // i1 again (a later image of the same item): counted once.
  await write('interactions', '2026-03-01', [interaction('i1', '2026-03-01', { recorded_at: '2026-03-01T11:00:00.000Z' })]);
  await write('interactions', '2026-03-02', [
    interaction('i3', '2026-03-02', { type: 'purchase', amount: 10.5, currency: 'EUR', channel: 'store' }),
    interaction('i4', '2026-03-02', { type: 'purchase', amount: 4.25, currency: 'EUR', channel: 'web' }),
    interaction('i5', '2026-03-02', { type: 'purchase', amount: 7, currency: 'USD', channel: 'web' }),
  ]);
  await write('interactions', '2026-04-01', [interaction('i6', '2026-04-01', { type: 'purchase', amount: 1, currency: 'EUR' })]);
  // Not Parquet, on a day no test asks for: only the files of the days asked are opened.
  await mkdir(join(dir, 'interactions', 'date=2025-01-01'), { recursive: true });
  await writeFile(join(dir, 'interactions', 'date=2025-01-01', 'broken.parquet'), 'not a parquet file');
  await write('cases', '2026-03-01', [kase('c1', 1), kase('c2', 1, { priority: 'low' })]);
  await write('cases', '2026-03-03', [kase('c1', 3, { status: 'solved', first_response_breached: true, updated_at: '2026-03-03T09:00:00.000Z' })]);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the cube over DuckDB', () => {
  it('counts interactions by day and channel, each interaction once, within the days asked', async () => {
    const answer = await cube().query({ measure: 'interactions', from: '2026-03-01', to: '2026-03-31' });
    expect(answer).toMatchObject({ engine: 'duckdb', by: ['day', 'channel'] });
    expect('rows' in answer && answer.rows).toEqual([
      { day: '2026-03-01', channel: 'phone', interactions: 1 },
      { day: '2026-03-01', channel: 'web', interactions: 1 },
      { day: '2026-03-02', channel: 'store', interactions: 1 },
      { day: '2026-03-02', channel: 'web', interactions: 2 },
    ]);
  });

  it('filters on a dimension with a bound value, and sums revenue per currency and month', async () => {
    const calls = await cube().query({ measure: 'interactions', by: 'type', from: '2026-03-01', to: '2026-04-30', filter: 'channel:web' });
    expect('rows' in calls && calls.rows).toEqual([{ type: 'purchase', interactions: 3 }, { type: 'visit', interactions: 1 }]);
    const revenue = await cube().query({ measure: 'revenue', by: 'month', from: '2026-03-01', to: '2026-04-30' });
    expect('rows' in revenue && revenue.rows).toEqual([
      { month: '2026-03', currency: 'EUR', purchases: 2, revenue: 14.75 },
      { month: '2026-03', currency: 'USD', purchases: 1, revenue: 7 },
      { month: '2026-04', currency: 'EUR', purchases: 1, revenue: 1 },
    ]);
  });

  it('takes the latest row of a case as of the end of `to`, with its SLA share', async () => {
    const later = await cube().query({ measure: 'cases', by: 'priority', from: '2026-03-01', to: '2026-03-31' });
    expect('rows' in later && later.rows).toEqual([
      { priority: 'high', cases: 1, solved: 1, slaMet: 0, slaMetShare: 0 },
      { priority: 'low', cases: 1, solved: 0, slaMet: 1, slaMetShare: 1 },
    ]);
    const early = await cube().query({ measure: 'cases', by: 'day,queue', from: '2026-03-01', to: '2026-03-02' });
    expect('rows' in early && early.rows).toEqual([{ day: '2026-03-01', queue: 'support', cases: 2, solved: 0, slaMet: 2, slaMetShare: 1 }]);
  });

  it('opens only the files of the days asked (a broken file on another day is never read)', async () => {
    const march = await cube().query({ measure: 'interactions', by: 'channel', from: '2026-03-01', to: '2026-03-01' });
    expect('rows' in march && march.rows).toEqual([{ channel: 'phone', interactions: 1 }, { channel: 'web', interactions: 1 }]);
    await expect(cube().query({ measure: 'interactions', from: '2025-01-01', to: '2025-01-01' })).rejects.toThrow();
  });

  it('answers no rows for a table nothing was exported to, and refuses a queryId (DuckDB never leaves a query running)', async () => {
    const sends = await cube().query({ measure: 'campaignFunnel', from: '2026-03-01', to: '2026-03-31' });
    expect('rows' in sends && sends.rows).toEqual([]);
    await expect(cube().query({ measure: 'interactions', from: '2026-03-01', to: '2026-03-31', queryId: '00000000-0000-4000-8000-000000000000' })).rejects.toBeInstanceOf(CubeQueryNotFoundError);
  });
});
