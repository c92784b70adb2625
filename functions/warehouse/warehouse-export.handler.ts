import { createHash } from 'node:crypto';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { type WarehouseExportDeps, exportToWarehouse } from '#domain/analytics/warehouse-export.use-cases.ts';
import { log } from '../shared/log.ts';

/**
 * flow: 1. new images of inserted and modified items (a removal is not a row: erasure's deletions
 * leave the warehouse's rows, which name nobody) 2. one export use case 3. on any failure the
 * whole batch is reported failed and delivered again; its id is a digest of its records' ids, so
 * the retry rewrites the same files.
 */
export function warehouseExportHandler(deps: WarehouseExportDeps) {
  return async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const records = event.Records.filter((r) => (r.eventName === 'INSERT' || r.eventName === 'MODIFY') && r.dynamodb?.NewImage);
    if (records.length === 0) return { batchItemFailures: [] };
    const batchId = createHash('sha256')
      .update(records.map((r) => r.eventID ?? r.dynamodb?.SequenceNumber ?? '').join('\n'))
      .digest('hex')
      .slice(0, 32);
    try {
      const items = records.map((r) => unmarshall(withEmptyMaps(r.dynamodb!.NewImage as Record<string, AttributeValue>)));
      const result = await exportToWarehouse(items, batchId, deps);
      // Most batches touch no exported item (outbox records, identities): only those that did are logged.
      if (result.files.length > 0 || result.skipped > 0) {
        log('info', 'warehouse export', { batchId, files: result.files.length, rows: result.rows, skipped: result.skipped });
      }
      return { batchItemFailures: [] };
    } catch (error) {
      log('error', 'warehouse export failed', { batchId, error: String(error) });
      return { batchItemFailures: records.map((r) => ({ itemIdentifier: r.dynamodb?.SequenceNumber ?? '' })) };
    }
  };
}

/**
 * DynamoDB Local's stream hands an empty map attribute over as `{}` instead of `{ M: {} }` (a
 * profile's `stats.totalSpent` before any purchase), which unmarshall refuses; AWS sends `{ M: {} }`.
 */
function withEmptyMaps(image: Record<string, AttributeValue>): Record<string, AttributeValue> {
  const fix = (value: AttributeValue): AttributeValue => {
    if (Object.keys(value).length === 0) return { M: {} };
    if (value.M) return { M: withEmptyMaps(value.M) };
    if (value.L) return { L: value.L.map(fix) };
    return value;
  };
  return Object.fromEntries(Object.entries(image).map(([name, value]) => [name, fix(value)]));
}
