import type { WarehouseExportDeps } from '#domain/analytics/warehouse-export.use-cases.ts';
import type { Db } from '../shared/db.ts';
import type { ObjectStore } from './object-store.ts';
import { parquetWarehouseWriter } from './parquet-warehouse-writer.ts';
import { dynamoPseudonyms } from './pseudonyms.dynamodb.ts';

/** The export's ports: pseudonyms in the table, Parquet files in the given store (a folder locally, the bucket on AWS). */
export const warehouseExportFor = (db: Db, store: ObjectStore): WarehouseExportDeps => ({ pseudonyms: dynamoPseudonyms(db), writer: parquetWarehouseWriter(store) });
