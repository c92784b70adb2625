import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import { signDevToken } from '#infra/local/dev-jwt.ts';
import { startLocalRuntime } from '#infra/local/runtime.ts';
import type { Section } from './context.ts';
import { type Figure, heading, ms, table } from './report.ts';
import { summarize } from './stats.ts';

export interface WarehouseLagOptions {
  /** Interactions recorded one after another, each waited for until its Parquet row exists. */
  readonly interactions: number;
}

/**
 * Issue 13 "Figures": export lag from a write to its Parquet row locally: POST an interaction,
 * then poll the warehouse folder until a file holds its row (the local stream reader's polling
 * and the export's write included). Its own runtime and DynamoDB Local.
 */
export function warehouseLagSection(options: WarehouseLagOptions = { interactions: 50 }): Section {
  return async () => {
    heading(`Warehouse export lag: write -> Parquet row, local (${options.interactions} interactions, sequential)`);
    const runtime = await startLocalRuntime({ port: 0, sesPort: 0, dynamodbPort: 0, tableName: 'bench-warehouse' });
    try {
      const authorization = `Bearer ${await signDevToken({ role: 'admin' })}`;
      const post = async (path: string, body: unknown) => {
        const response = await fetch(`${runtime.url}${path}`, { method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body: JSON.stringify(body) });
        const json = (await response.json()) as { id: string };
        if (response.status !== 201) throw new Error(`POST ${path}: ${response.status} ${JSON.stringify(json)}`);
        return json;
      };
      const customer = await post('/customers', { email: `warehouse-bench-${Date.now()}@example.com` });
      const seen = new Set<string>();
      const exported = new Set<string>();
      const dir = join(runtime.warehouseDir, 'interactions');
      const readNewFiles = async () => {
        const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
        for (const entry of entries) {
          const path = join(entry.parentPath, entry.name);
          if (!entry.isFile() || !entry.name.endsWith('.parquet') || seen.has(path)) continue;
          seen.add(path);
          const bytes = await readFile(path);
          const rows = await parquetReadObjects({ file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer });
          for (const row of rows) exported.add(String(row.interaction_id));
        }
      };
      const lags: number[] = [];
      for (let i = 0; i < options.interactions; i++) {
        const { id } = await post(`/customers/${customer.id}/interactions`, { channel: 'web', type: 'page_view', data: { path: `/p/${i}` } });
        const written = performance.now();
        for (;;) {
          await readNewFiles();
          if (exported.has(id)) break;
          if (performance.now() - written > 30_000) throw new Error(`interaction ${id} not exported within 30 s`);
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        lags.push(performance.now() - written);
      }
      const lag = summarize(lags);
      table([
        ['n', 'p50', 'p90', 'p99', 'max'],
        [String(lag.n), ms(lag.p50), ms(lag.p90), ms(lag.p99), ms(lag.max)],
      ]);
      const figures: Figure[] = [
        { section: 'warehouse', figure: 'export lag p50 (write -> Parquet row, local)', value: ms(lag.p50) },
        { section: 'warehouse', figure: 'export lag p99', value: ms(lag.p99) },
      ];
      return figures;
    } finally {
      await runtime.stop();
    }
  };
}
