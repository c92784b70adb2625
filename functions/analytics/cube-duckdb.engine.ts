import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { WAREHOUSE_TABLES, type WarehouseTable } from '#domain/analytics/warehouse-rows.ts';
import type { CubeEngine, RawRow } from '#domain/analytics/cube.ports.ts';
import { CubeQueryNotFoundError } from '#domain/analytics/cube.use-cases.ts';

// The cube's local engine: DuckDB in process, reading the warehouse's Parquet files where the
// export writes them (`<dir>/<table>/date=<day>/<batch>.parquet`) with hive partitioning, so the
// statement's `"date" BETWEEN ? AND ?` prunes whole folders. Only the local runtime imports this
// file: @duckdb/node-api is a devDependency with native bindings and never goes into a Lambda.

const TABLE_TOKEN = /\{\{([a-z_]+)\}\}/g;
/** A SQL string literal of a path we chose (the configured folder and a table name): quotes doubled. */
const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;

async function hasFiles(folder: string): Promise<boolean> {
  try {
    const partitions = await readdir(folder, { withFileTypes: true });
    for (const partition of partitions) {
      if (!partition.isDirectory() || !partition.name.startsWith('date=')) continue;
      if ((await readdir(join(folder, partition.name))).some((name) => name.endsWith('.parquet'))) return true;
    }
    return false;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/** One DuckDB instance per process (opened on the first query); a connection per query. */
export function duckDbCubeEngine(warehouseDir: string): CubeEngine {
  let instance: Promise<DuckDBInstance> | undefined;
  // No extension is downloaded at run time (the cube needs none: Parquet is built in). Without the
  // ICU extension DuckDB takes timestamps' days in UTC, as Athena does.
  const open = () => (instance ??= DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' }));

  const source = (table: WarehouseTable) =>
    `read_parquet(${literal(join(warehouseDir, table, 'date=*', '*.parquet'))}, hive_partitioning = true, hive_types = {'date': VARCHAR}, union_by_name = true)`;

  return {
    name: 'duckdb',
    async run(statement, queryId) {
      // DuckDB answers within the request: there is never a query to come back for.
      if (queryId !== undefined) throw new CubeQueryNotFoundError();
      // read_parquet fails on a glob without files: a table nothing was exported to yet has no rows.
      for (const table of statement.tables) if (!(await hasFiles(join(warehouseDir, table)))) return { state: 'done', rows: [] };
      const sql = statement.sql.replace(TABLE_TOKEN, (_token, table: string) => {
        if (!(WAREHOUSE_TABLES as readonly string[]).includes(table)) throw new Error(`Not a warehouse table: ${table}`);
        return source(table as WarehouseTable);
      });
      const connection = await (await open()).connect();
      try {
        const reader = await connection.runAndReadAll(sql, [...statement.parameters]);
        return { state: 'done', rows: reader.getRowObjectsJS() as RawRow[] };
      } finally {
        connection.closeSync();
      }
    },
  };
}
