import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { unitsOf } from '#functions/shared/consumed-capacity.ts';
import { currentTally, meteredInvocation } from '#functions/shared/metering.ts';
import { createTableClient } from '#functions/shared/table-client.ts';

// The SDK edge is faked at its HTTP handler (aws-sdk-client-mock replaces `send`, which would skip
// the very middleware under test): the middleware, marshalling and parsing all run for real.

interface Exchange {
  readonly target: string;
  readonly body: Record<string, unknown>;
}

function fakeDynamo(answers: Record<string, unknown>) {
  const seen: Exchange[] = [];
  const requestHandler = {
    async handle(request: { headers: Record<string, string>; body?: string }) {
      const target = request.headers['x-amz-target']?.split('.')[1] ?? '';
      seen.push({ target, body: JSON.parse(request.body ?? '{}') as Record<string, unknown> });
      const body = JSON.stringify(answers[target] ?? {});
      return {
        response: {
          statusCode: 200,
          headers: { 'content-type': 'application/x-amz-json-1.0', 'content-length': String(Buffer.byteLength(body)) },
          body: new Blob([body]).stream(),
        },
      };
    },
  };
  const client = createTableClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, requestHandler: requestHandler as never });
  return { client, seen };
}

let destroy: (() => void) | undefined;
afterEach(() => destroy?.());

describe('the consumed-capacity middleware of the table client', () => {
  it('asks for TOTAL on every call that supports it and adds reads and writes to the invocation', async () => {
    const { client, seen } = fakeDynamo({
      GetItem: { Item: { pk: { S: 'a' } }, ConsumedCapacity: { TableName: 't', CapacityUnits: 0.5 } },
      PutItem: { ConsumedCapacity: { TableName: 't', CapacityUnits: 2 } },
      Query: { Items: [], Count: 0, ConsumedCapacity: { TableName: 't', CapacityUnits: 1.5 } },
    });
    destroy = () => client.destroy();
    const tally = await meteredInvocation(512, async () => {
      await client.send(new GetCommand({ TableName: 't', Key: { pk: 'a' } }));
      await client.send(new PutCommand({ TableName: 't', Item: { pk: 'b' } }));
      await client.send(new QueryCommand({ TableName: 't', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': 'a' } }));
      return currentTally();
    });
    expect(seen.map((s) => [s.target, s.body.ReturnConsumedCapacity])).toEqual([
      ['GetItem', 'TOTAL'],
      ['PutItem', 'TOTAL'],
      ['Query', 'TOTAL'],
    ]);
    expect(tally).toEqual({ readUnits: 2, writeUnits: 2, eventsPut: 0, emailsSent: 0 });
  });

  it('sums a transaction over its tables and a batch over its tables', async () => {
    const { client } = fakeDynamo({
      TransactWriteItems: {
        ConsumedCapacity: [
          { TableName: 'a', CapacityUnits: 4, WriteCapacityUnits: 4 },
          { TableName: 'b', CapacityUnits: 6, ReadCapacityUnits: 2, WriteCapacityUnits: 4 },
        ],
      },
      BatchGetItem: { Responses: {}, ConsumedCapacity: [{ TableName: 'a', CapacityUnits: 1 }, { TableName: 'b', CapacityUnits: 0.5 }] },
    });
    destroy = () => client.destroy();
    const tally = await meteredInvocation(512, async () => {
      await client.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: 'a', Item: { pk: '1' } } },
            { Update: { TableName: 'b', Key: { pk: '2' }, UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': 1 } } },
            { ConditionCheck: { TableName: 'b', Key: { pk: '3' }, ConditionExpression: 'attribute_exists(pk)' } },
          ],
        }),
      );
      await client.send(new BatchGetCommand({ RequestItems: { a: { Keys: [{ pk: '1' }] }, b: { Keys: [{ pk: '2' }] } } }));
      return currentTally();
    });
    expect(tally).toEqual({ readUnits: 3.5, writeUnits: 8, eventsPut: 0, emailsSent: 0 });
  });

  it('leaves commands that do not support it untouched and counts nothing for them', async () => {
    const { client, seen } = fakeDynamo({ DescribeTable: { Table: { TableName: 't', TableStatus: 'ACTIVE' } } });
    destroy = () => client.destroy();
    const tally = await meteredInvocation(512, async () => {
      await client.send(new DescribeTableCommand({ TableName: 't' }));
      return currentTally();
    });
    expect(seen).toEqual([{ target: 'DescribeTable', body: { TableName: 't' } }]);
    expect(tally.readUnits + tally.writeUnits).toBe(0);
  });

  it('keeps a caller\'s own ReturnConsumedCapacity', async () => {
    const { client, seen } = fakeDynamo({ GetItem: { ConsumedCapacity: { TableName: 't', CapacityUnits: 1, Table: { CapacityUnits: 1 } } } });
    destroy = () => client.destroy();
    await meteredInvocation(512, () => client.send(new GetCommand({ TableName: 't', Key: { pk: 'a' }, ReturnConsumedCapacity: 'INDEXES' })));
    expect(seen[0]?.body.ReturnConsumedCapacity).toBe('INDEXES');
  });
});

describe('unitsOf', () => {
  it('attributes CapacityUnits by the kind of call when the answer does not split reads and writes', () => {
    expect(unitsOf({ CapacityUnits: 3 }, 'read')).toEqual({ read: 3, write: 0 });
    expect(unitsOf({ CapacityUnits: 3 }, 'write')).toEqual({ read: 0, write: 3 });
    expect(unitsOf(undefined, 'read')).toEqual({ read: 0, write: 0 });
  });
});

