import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_AWS } from '../../infra/local/dynamodb-local.ts';
import { startStreamReader } from '../../infra/local/stream-reader.ts';
import { freshTable } from '../support/dynamodb.ts';

// The local stream reader hands records to a consumer as Lambda's event-source mapping does: with
// a parallelization factor, several partition keys at once, each key's records in order (what the
// campaign sender's lanes and the audience scanner's parts rely on); without one, the whole shard in order.

let table: Awaited<ReturnType<typeof freshTable>>;
let streams: DynamoDBStreamsClient;
beforeAll(async () => {
  table = await freshTable();
  streams = new DynamoDBStreamsClient({ endpoint: table.endpoint, ...LOCAL_AWS });
  const items = ['A', 'B', 'C'].flatMap((lane) => Array.from({ length: 4 }, (_, n) => ({ pk: `LANE#${lane}`, sk: `${n}`, n })));
  await table.client.send(new BatchWriteCommand({ RequestItems: { [table.tableName]: items.map((Item) => ({ PutRequest: { Item } })) } }));
});
afterAll(async () => {
  streams?.destroy();
  await table?.drop();
});

async function consume(parallelization: number | undefined) {
  let active = 0;
  let most = 0;
  const seen = new Map<string, number[]>();
  const reader = startStreamReader({
    dynamodb: table.raw,
    streams,
    tableName: table.tableName,
    consumers: [
      {
        name: 'lanes',
        filter: { eventName: ['INSERT'], dynamodb: { NewImage: { pk: { S: [{ prefix: 'LANE#' }] } } } },
        batchSize: 1,
        ...(parallelization ? { parallelization } : {}),
        handler: async (event: DynamoDBStreamEvent) => {
          active++;
          most = Math.max(most, active);
          // Long enough that handlers running side by side overlap.
          await new Promise((r) => setTimeout(r, 30));
          for (const record of event.Records) {
            const image = record.dynamodb!.NewImage!;
            const lane = image.pk!.S!;
            seen.set(lane, [...(seen.get(lane) ?? []), Number(image.n!.N)]);
          }
          active--;
        },
      },
    ],
  });
  await reader.idle();
  await reader.stop();
  return { most, seen };
}

describe('the local stream reader', () => {
  it('with a parallelization factor runs several partition keys at once, each in order', async () => {
    const { most, seen } = await consume(3);
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(3);
    expect([...seen.keys()].sort()).toEqual(['LANE#A', 'LANE#B', 'LANE#C']);
    for (const order of seen.values()) expect(order).toEqual([0, 1, 2, 3]);
  });

  it('without one hands the shard over one batch at a time', async () => {
    const { most, seen } = await consume(undefined);
    expect(most).toBe(1);
    for (const order of seen.values()) expect(order).toEqual([0, 1, 2, 3]);
  });
});
