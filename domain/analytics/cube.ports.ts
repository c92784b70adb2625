import type { WarehouseTable } from './warehouse-rows.ts';
import type { CubeEngineName } from './cube.schema.ts';

/**
 * One cube query for an engine: SQL in the common subset of DuckDB and Athena, where `{{<table>}}`
 * stands for the table (the engine names its files or its Glue table) and `?` for the parameters,
 * in order. Every parameter is a string.
 */
export interface CubeStatement {
  readonly sql: string;
  readonly parameters: readonly string[];
  readonly tables: readonly WarehouseTable[];
  /** The `date` partitions the statement reads (its first two parameters bound them too): an engine that lists files itself reads only these. */
  readonly days: { readonly from: string; readonly to: string };
}

export type RawCell = string | number | bigint | boolean | null;
export type RawRow = Readonly<Record<string, RawCell>>;

export type CubeRun =
  | { readonly state: 'done'; readonly rows: readonly RawRow[]; readonly scannedBytes?: number }
  /** Not finished within the engine's wait: ask again later with this id. */
  | { readonly state: 'running'; readonly queryId: string; readonly retryAfterSeconds: number };

/** Runs cube statements over the warehouse's Parquet files (DuckDB locally, Athena on AWS). */
export interface CubeEngine {
  readonly name: CubeEngineName;
  /** Runs the statement, or with `queryId` collects the run an earlier call started (the same statement, else CubeQueryNotFoundError). */
  run(statement: CubeStatement, queryId?: string): Promise<CubeRun>;
}
