import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parquetReadObjects } from 'hyparquet';

/** The rows of a Parquet file (read with hyparquet, a reader independent of the writer's code path). */
export async function parquetRows(bytes: Uint8Array): Promise<Record<string, unknown>[]> {
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  return parquetReadObjects({ file });
}

/** Every `.parquet` file under a local warehouse folder, by its key (`<table>/date=<day>/<batch>.parquet`). */
export async function warehouseFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile() && e.name.endsWith('.parquet')).map((e) => relative(root, join(e.parentPath, e.name)).split('\\').join('/')).sort();
}

/** All rows of one table in a local warehouse, each with the partition day it was filed under. */
export async function warehouseRows(root: string, table: string): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  for (const key of await warehouseFiles(root)) {
    const [name, partition] = key.split('/');
    if (name !== table) continue;
    const date = partition!.slice('date='.length);
    for (const row of await parquetRows(new Uint8Array(await readFile(join(root, key))))) rows.push({ ...row, date });
  }
  return rows;
}
