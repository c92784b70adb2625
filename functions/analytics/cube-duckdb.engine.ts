import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { WAREHOUSE_TABLES } from '#domain/analytics/warehouse-rows.ts';
import type { CubeEngine, RawRow } from '#domain/analytics/cube.ports.ts';
import { CubeQueryNotFoundError } from '#domain/analytics/cube.use-cases.ts';

// The cube's local engine: DuckDB in process, reading the warehouse's Parquet files where the
// export writes them (`<dir>/<table>/date=<day>/<batch>.parquet`) with hive partitioning, so the
// statement's `"date" BETWEEN ? AND ?` prunes whole folders. Only the local runtime imports this
// file: @duckdb/node-api is a devDependency with native bindings and never goes into a Lambda.

const TABLE_TOKEN = /\{\{([a-z_]+)\}\}/g;
/** A SQL string literal of a path we chose (the configured folder and a table name): quotes doubled. */
const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;

const PARTITION = /^date=(\d{4}-\d{2}-\d{2})$/;

/**
 * The table's files in the days asked, found on disk: DuckDB does not prune hive partitions on a
 * bound parameter (it plans before it knows the value), so it would open every file's footer.
 */
async function filesOf(folder: string, days: { from: string; to: string }): Promise<string[]> {
  let partitions;
  try {
    partitions = await readdir(folder, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const files: string[] = [];
  for (const partition of partitions) {
    const day = PARTITION.exec(partition.name)?.[1];
    if (!partition.isDirectory() || day === undefined || day < days.from || day > days.to) continue;
    for (const name of await readdir(join(folder, partition.name))) if (name.endsWith('.parquet')) files.push(join(folder, partition.name, name));
  }
  return files.sort();
}

/** One DuckDB instance per process (opened on the first query); a connection per query. */
export function duckDbCubeEngine(warehouseDir: string): CubeEngine {
  let instance: Promise<DuckDBInstance> | undefined;
  // No extension is downloaded at run time (the cube needs none: Parquet is built in). Without the
  // ICU extension DuckDB takes timestamps' days in UTC, as Athena does.
  const open = () => (instance ??= DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' }));

  const source = (files: readonly string[]) => `read_parquet([${files.map(literal).join(', ')}], hive_partitioning = true, hive_types = {'date': VARCHAR}, union_by_name = true)`;

  return {
    name: 'duckdb',
    async run(statement, queryId) {
      // DuckDB answers within the request: there is never a query to come back for.
      if (queryId !== undefined) throw new CubeQueryNotFoundError();
      const files = new Map<string, string[]>();
      for (const table of statement.tables) {
        if (!(WAREHOUSE_TABLES as readonly string[]).includes(table)) throw new Error(`Not a warehouse table: ${table}`);
        files.set(table, await filesOf(join(warehouseDir, table), statement.days));
      }
      // read_parquet refuses an empty list: no file in those days is no rows.
      if ([...files.values()].some((list) => list.length === 0)) return { state: 'done', rows: [] };
      const sql = statement.sql.replace(TABLE_TOKEN, (_token, table: string) => {
        const list = files.get(table);
        if (!list) throw new Error(`Not a table of the statement: ${table}`);
        return source(list);
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
