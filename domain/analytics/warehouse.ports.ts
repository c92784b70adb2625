import type { WarehouseRow, WarehouseTable } from './warehouse-rows.ts';

/** One file of the warehouse: the rows of one table and one day that one export batch saw. */
export interface WarehouseFile {
  readonly table: WarehouseTable;
  readonly date: string;
  readonly batchId: string;
  readonly rows: readonly WarehouseRow[];
}

/** Port: writes a file (as Parquet, under `<table>/date=<date>/<batchId>.parquet`) and says where it went. */
export interface WarehouseWriter {
  write(file: WarehouseFile): Promise<string>;
}

/**
 * Port: the pseudonym of each customer, created on first use. A customer that is erased, being
 * erased or unknown has none (absent from the answer): its rows are not exported, and no mapping
 * is made that erasure would miss.
 */
export interface PseudonymStore {
  pseudonymsOf(customerIds: readonly string[]): Promise<ReadonlyMap<string, string>>;
}
