import { S3Client } from '@aws-sdk/client-s3';
import { tableConfig, warehouseConfig } from '../shared/config.ts';
import { systemClock, uuidIds } from '../shared/system.ts';
import { createTableClient } from '../shared/table-client.ts';
import { s3ObjectStore } from './s3-object-store.ts';
import { warehouseExportFor } from './warehouse.composition.ts';
import { warehouseExportHandler } from './warehouse-export.handler.ts';
import { observedConsumer } from '../shared/observed-consumer.ts';

const { bucket, prefix } = warehouseConfig();

export const handler = observedConsumer('warehouseExport', warehouseExportHandler(
  warehouseExportFor({ client: createTableClient(), tableName: tableConfig().tableName, clock: systemClock, ids: uuidIds }, s3ObjectStore(new S3Client({}), bucket, prefix)),
));
