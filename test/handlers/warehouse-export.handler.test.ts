import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { PseudonymStore, WarehouseFile, WarehouseWriter } from '#domain/analytics/warehouse.ports.ts';
import { warehouseExportHandler } from '../../functions/warehouse/warehouse-export.handler.ts';

// The stream consumer with fakes at its ports: which records become rows, batch ids that make a
// redelivery rewrite the same files, customers without a pseudonym left out, failures retried whole.

const at = '2026-05-06T07:08:09.000Z';
const record = (n: number, eventName: DynamoDBRecord['eventName'], item: Record<string, unknown>): DynamoDBRecord => ({
  eventID: `e${n}`,
  eventName,
  dynamodb: { SequenceNumber: String(100 + n), NewImage: marshall(item, { removeUndefinedValues: true }) as never },
});
const interaction = (customerId: string, id: string) => ({ pk: `CUSTOMER#${customerId}`, sk: `TL#${at}#${id}`, kind: 'interaction', id, channel: 'web', interactionType: 'visit', occurredAt: at });

function fakes(known: Record<string, string>, failWrites = false) {
  const files: WarehouseFile[] = [];
  const writer: WarehouseWriter = {
    async write(file) {
      if (failWrites) throw new Error('disk full');
      files.push(file);
      return `${file.table}/date=${file.date}/${file.batchId}.parquet`;
    },
  };
  const pseudonyms: PseudonymStore = { pseudonymsOf: async (ids) => new Map(ids.flatMap((id) => (known[id] ? [[id, known[id]] as const] : []))) };
  return { files, deps: { writer, pseudonyms } };
}

describe('warehouseExportHandler', () => {
  it('writes one file per table and day, leaves out customers without a pseudonym, ignores removals', async () => {
    const { files, deps } = fakes({ c1: 'p1' });
    const event: DynamoDBStreamEvent = {
      Records: [record(1, 'INSERT', interaction('c1', 'i1')), record(2, 'MODIFY', interaction('c1', 'i2')), record(3, 'INSERT', interaction('gone', 'i3')), record(4, 'REMOVE', interaction('c1', 'i4'))],
    };
    expect(await warehouseExportHandler(deps)(event)).toEqual({ batchItemFailures: [] });
    expect(files).toHaveLength(1);
    expect(files[0]!.rows.map((r) => [r.interaction_id, r.pseudonym])).toEqual([['i1', 'p1'], ['i2', 'p1']]);
  });

  it('names the files of a batch after its records, so a redelivered batch rewrites the same files', async () => {
    const { files, deps } = fakes({ c1: 'p1' });
    const handler = warehouseExportHandler(deps);
    const batch = { Records: [record(1, 'INSERT', interaction('c1', 'i1'))] };
    await handler(batch);
    await handler(batch);
    await handler({ Records: [record(2, 'INSERT', interaction('c1', 'i1'))] });
    expect(files[0]!.batchId).toBe(files[1]!.batchId);
    expect(files[2]!.batchId).not.toBe(files[0]!.batchId);
  });

  it('reports every record of a batch whose write failed, so the stream delivers it again', async () => {
    const { deps } = fakes({ c1: 'p1' }, true);
    const answer = await warehouseExportHandler(deps)({ Records: [record(1, 'INSERT', interaction('c1', 'i1')), record(2, 'INSERT', interaction('c1', 'i2'))] });
    expect(answer.batchItemFailures).toEqual([{ itemIdentifier: '101' }, { itemIdentifier: '102' }]);
  });

  it('reads an empty map as DynamoDB Local streams it ({} instead of {M: {}})', async () => {
    const { files, deps } = fakes({ c1: 'p1' });
    const image = marshall({ pk: 'CUSTOMER#c1', sk: 'PROFILE', tags: [], stats: { interactionCount: 2, totalSpent: { EUR: 1 } }, createdAt: at, updatedAt: at, version: 1 }) as Record<string, never>;
    (image.stats as unknown as { M: Record<string, unknown> }).M.totalSpent = {};
    await warehouseExportHandler(deps)({ Records: [{ eventID: 'x', eventName: 'INSERT', dynamodb: { SequenceNumber: '1', NewImage: image } }] });
    expect(files[0]!.rows[0]).toMatchObject({ pseudonym: 'p1', interaction_count: 2 });
  });
});
