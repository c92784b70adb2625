import { type WarehouseRow, type WarehouseTable, warehouseRecordOf } from './warehouse-rows.ts';
import type { PseudonymStore, WarehouseWriter } from './warehouse.ports.ts';

export interface WarehouseExportDeps {
  readonly pseudonyms: PseudonymStore;
  readonly writer: WarehouseWriter;
}

export interface WarehouseExportResult {
  /** The keys of the files written (one per table and day the batch touched). */
  readonly files: readonly string[];
  readonly rows: number;
  /** Rows of customers with no pseudonym (erased, being erased, unknown): left out. */
  readonly skipped: number;
}

/**
 * flow: 1. the row record of each changed item (most items are not exported) 2. the pseudonyms of
 * the customers they name, in one call 3. one file per table and day with the rows in change order.
 * `batchId` names the files: the same batch delivered again rewrites the same files, so a retry
 * never doubles a row.
 */
export async function exportToWarehouse(items: readonly Record<string, unknown>[], batchId: string, deps: WarehouseExportDeps): Promise<WarehouseExportResult> {
  const records = items.map((item) => warehouseRecordOf(item)).filter((record) => record !== null);
  const customerIds = [...new Set(records.flatMap((r) => (r.customerId === null ? [] : [r.customerId])))];
  const pseudonyms = customerIds.length > 0 ? await deps.pseudonyms.pseudonymsOf(customerIds) : new Map<string, string>();
  const files = new Map<string, { table: WarehouseTable; date: string; rows: WarehouseRow[] }>();
  let skipped = 0;
  for (const record of records) {
    const pseudonym = record.customerId === null ? null : (pseudonyms.get(record.customerId) ?? null);
    if (record.customerId !== null && pseudonym === null) {
      skipped++;
      continue;
    }
    const key = `${record.table}/${record.date}`;
    const file = files.get(key) ?? { table: record.table, date: record.date, rows: [] };
    file.rows.push(record.row(pseudonym));
    files.set(key, file);
  }
  const written: string[] = [];
  for (const file of files.values()) written.push(await deps.writer.write({ ...file, batchId }));
  return { files: written, rows: records.length - skipped, skipped };
}
