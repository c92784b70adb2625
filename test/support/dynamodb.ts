import { randomUUID } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { inject } from 'vitest';
import { boundedClientConfig } from '../../functions/shared/bounded-client.ts';
import { createTableClient, TABLE_CLIENT_LIMITS } from '../../functions/shared/table-client.ts';
import { ensureTable } from '../../infra/local/create-table.ts';
import { LOCAL_AWS } from '../../infra/local/dynamodb-local.ts';

/** A fresh table (same definition as production) in the run's shared DynamoDB Local. */
export async function freshTable() {
  const endpoint = inject('dynamodbEndpoint');
  const tableName = `test-${randomUUID()}`;
  const raw = new DynamoDBClient({ endpoint, ...LOCAL_AWS });
  await ensureTable(raw, tableName);
  // The production bound (2 s a request) is set for DynamoDB on AWS. DynamoDB Local, late in a full
  // suite on 2 cores, has taken longer than that over a 25-customer transaction (CI, twice): these
  // tests check what the writes do, not how fast the emulator is, so its requests get 10 s.
  const client = createTableClient({ endpoint, ...LOCAL_AWS, ...boundedClientConfig({ ...TABLE_CLIENT_LIMITS, requestTimeoutMs: 10_000 }) });
  return {
    endpoint,
    tableName,
    client,
    raw,
    /** Every item in the table (test-only: production code never scans). */
    async scanAll(): Promise<Record<string, unknown>[]> {
      const items: Record<string, unknown>[] = [];
      let ExclusiveStartKey: Record<string, never> | undefined;
      do {
        const out = await raw.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey }));
        items.push(...(out.Items ?? []).map((i) => unmarshall(i)));
        ExclusiveStartKey = out.LastEvaluatedKey as typeof ExclusiveStartKey;
      } while (ExclusiveStartKey);
      return items;
    },
    async drop() {
      await raw.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
      raw.destroy();
      client.destroy();
    },
  };
}
