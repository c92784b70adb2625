import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WAREHOUSE_COLUMNS } from '#domain/analytics/warehouse-rows.ts';
import { fileObjectStore } from '../../functions/warehouse/file-object-store.ts';
import { encodeParquet, parquetWarehouseWriter } from '../../functions/warehouse/parquet-warehouse-writer.ts';
import { s3ObjectStore } from '../../functions/warehouse/s3-object-store.ts';
import { parquetRows, warehouseFiles } from '../support/warehouse-files.ts';

// The Parquet files the warehouse writes: read back with an independent reader (hyparquet), typed
// columns, nulls kept, one schema per table whatever the rows hold; the local folder and the S3
// adapter at the SDK edge.

const interaction = (id: string, amount: number | null) => ({
  interaction_id: id,
  pseudonym: 'p-1',
  kind: 'interaction',
  channel: 'store',
  type: 'purchase',
  direction: null,
  amount,
  currency: amount === null ? null : 'EUR',
  skus: null,
  occurred_at: '2026-03-04T05:06:07.000Z',
  recorded_at: '2026-03-04T05:06:08.000Z',
});

describe('Parquet warehouse files', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'warehouse-'));
  });
  afterAll(async () => rm(root, { recursive: true, force: true }));

  it('writes a table day under <table>/date=<day>/<batch>.parquet, and the rows read back with their types', async () => {
    const writer = parquetWarehouseWriter(fileObjectStore(root));
    const key = await writer.write({ table: 'interactions', date: '2026-03-04', batchId: 'b1', rows: [interaction('i1', 12.5), interaction('i2', null)] });
    expect(key).toBe('interactions/date=2026-03-04/b1.parquet');
    expect(await warehouseFiles(root)).toEqual([key]);
    expect(await readdir(join(root, 'interactions', 'date=2026-03-04'))).toEqual(['b1.parquet']); // no partial file left behind
    const rows = await parquetRows(new Uint8Array(await readFile(join(root, key))));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ interaction_id: 'i1', amount: 12.5, currency: 'EUR', direction: null });
    expect(rows[0]!.occurred_at).toEqual(new Date('2026-03-04T05:06:07.000Z'));
    expect(rows[1]).toMatchObject({ interaction_id: 'i2', amount: null, currency: null });
  });

  it('every table writes all its columns, even when every value of one is null', async () => {
    for (const [table, columns] of Object.entries(WAREHOUSE_COLUMNS)) {
      const row = Object.fromEntries(columns.map((c) => [c.name, null]));
      const rows = await parquetRows(encodeParquet({ table: table as keyof typeof WAREHOUSE_COLUMNS, rows: [row] }));
      expect(Object.keys(rows[0]!)).toEqual(columns.map((c) => c.name));
    }
  });
});

describe('S3 object store', () => {
  const s3 = mockClient(S3Client);
  beforeEach(() => {
    s3.reset();
    s3.on(PutObjectCommand).resolves({});
  });

  it('puts the file under the bucket and prefix, as Parquet', async () => {
    const writer = parquetWarehouseWriter(s3ObjectStore(new S3Client({}), 'analytics-bucket', 'tables/'));
    await writer.write({ table: 'cases', date: '2026-01-02', batchId: 'b7', rows: [] });
    const [call] = s3.commandCalls(PutObjectCommand);
    expect(call!.args[0].input).toMatchObject({ Bucket: 'analytics-bucket', Key: 'tables/cases/date=2026-01-02/b7.parquet', ContentType: 'application/vnd.apache.parquet' });
    expect((call!.args[0].input.Body as Uint8Array).byteLength).toBeGreaterThan(0);
  });

  it('a refused put fails the write (the stream batch is retried, nothing is dropped)', async () => {
    s3.on(PutObjectCommand).rejects(new Error('AccessDenied'));
    const writer = parquetWarehouseWriter(s3ObjectStore(new S3Client({}), 'analytics-bucket'));
    await expect(writer.write({ table: 'cases', date: '2026-01-02', batchId: 'b8', rows: [] })).rejects.toThrow('AccessDenied');
  });
});
