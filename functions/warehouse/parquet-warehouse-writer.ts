import { type BasicType, type ColumnSource, parquetWriteBuffer } from 'hyparquet-writer';
import { type ColumnType, WAREHOUSE_COLUMNS } from '#domain/analytics/warehouse-rows.ts';
import type { WarehouseFile, WarehouseWriter } from '#domain/analytics/warehouse.ports.ts';
import type { ObjectStore } from './object-store.ts';

const PARQUET_TYPES: Record<ColumnType, BasicType> = { string: 'STRING', double: 'DOUBLE', int: 'INT32', boolean: 'BOOLEAN', timestamp: 'TIMESTAMP' };

/** The object key of a file: Hive-style `date=` partitions, which Glue's partition projection and DuckDB's hive_partitioning both read. */
export const warehouseKey = (file: Pick<WarehouseFile, 'table' | 'date' | 'batchId'>) => `${file.table}/date=${file.date}/${file.batchId}.parquet`;

/** Every column of the table in its declared type (nullable), so every file of a table has one schema whatever its rows hold. */
export function encodeParquet(file: Pick<WarehouseFile, 'table' | 'rows'>): Uint8Array {
  const columnData: ColumnSource[] = WAREHOUSE_COLUMNS[file.table].map((column) => ({
    name: column.name,
    type: PARQUET_TYPES[column.type],
    nullable: true,
    data: file.rows.map((row) => {
      const value = row[column.name] ?? null;
      return column.type === 'timestamp' && typeof value === 'string' ? new Date(value) : value;
    }),
  }));
  return new Uint8Array(parquetWriteBuffer({ columnData }));
}

export function parquetWarehouseWriter(store: ObjectStore): WarehouseWriter {
  return {
    async write(file) {
      const key = warehouseKey(file);
      await store.put(key, encodeParquet(file));
      return key;
    },
  };
}
