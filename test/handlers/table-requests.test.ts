import { BatchWriteCommand, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { createTableClient } from '../../functions/shared/table-client.ts';
import { asFunction, onTableRequest, type TableRequest, tableRequestOf } from '../../functions/shared/table-requests.ts';
import { matchesKeyPattern } from '../../infra/key-prefixes.ts';

// The key-prefix test's seam: every partition key a request names, as IAM's dynamodb:LeadingKeys
// sees them (each item of a batch or transaction), and whose invocation sent it.

describe('tableRequestOf', () => {
  it('reads the key of single-item requests, marshalled or not', () => {
    expect(tableRequestOf('GetCommand', { Key: { pk: 'CUSTOMER#1', sk: 'PROFILE' } }).partitionKeys).toEqual(['CUSTOMER#1']);
    expect(tableRequestOf('PutItemCommand', { Item: { pk: { S: 'CASE#2' }, sk: { S: 'CASE' } } }).partitionKeys).toEqual(['CASE#2']);
    expect(tableRequestOf('UpdateCommand', { Key: { pk: 'QUEUE#a', sk: 'QUEUE' } })).toEqual({ operation: 'Update', partitionKeys: ['QUEUE#a'] });
  });

  it("reads a Query's partition equality, on the table and on an index (the index's own key)", () => {
    const onTable = { KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)', ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' }, ExpressionAttributeValues: { ':pk': 'CUSTOMER#1', ':prefix': 'TL#' } };
    expect(tableRequestOf('QueryCommand', onTable)).toEqual({ operation: 'Query', partitionKeys: ['CUSTOMER#1'] });
    const onIndex = { IndexName: 'by-queue', KeyConditionExpression: 'gsi2sk > :from AND gsi2pk = :q', ExpressionAttributeValues: { ':q': 'QUEUE#a', ':from': 'open#' } };
    expect(tableRequestOf('QueryCommand', onIndex)).toEqual({ operation: 'Query', index: 'by-queue', partitionKeys: ['QUEUE#a'] });
  });

  it('reads every item of a batch or transaction, and nothing of a Scan', () => {
    const batch = { RequestItems: { crm: [{ PutRequest: { Item: { pk: 'A#1', sk: 'x' } } }, { DeleteRequest: { Key: { pk: 'B#2', sk: 'y' } } }] } };
    expect(tableRequestOf('BatchWriteCommand', batch).partitionKeys).toEqual(['A#1', 'B#2']);
    expect(tableRequestOf('BatchGetCommand', { RequestItems: { crm: { Keys: [{ pk: 'C#1', sk: 'x' }, { pk: 'C#2', sk: 'x' }] } } }).partitionKeys).toEqual(['C#1', 'C#2']);
    const transaction = {
      TransactItems: [{ Put: { Item: { pk: 'CASE#1' } } }, { Update: { Key: { pk: 'CUSTOMER#1' } } }, { Delete: { Key: { pk: 'ONCE#k' } } }, { ConditionCheck: { Key: { pk: 'CUSTOMER#2' } } }],
    };
    expect(tableRequestOf('TransactWriteCommand', transaction).partitionKeys).toEqual(['CASE#1', 'CUSTOMER#1', 'ONCE#k', 'CUSTOMER#2']);
    expect(tableRequestOf('TransactGetCommand', { TransactItems: [{ Get: { Key: { pk: 'X#1' } } }] }).partitionKeys).toEqual(['X#1']);
    expect(tableRequestOf('ScanCommand', { IndexName: 'by-created-at' })).toEqual({ operation: 'Scan', index: 'by-created-at', partitionKeys: [] });
  });
});

describe('the table client records each request with the function that sent it', () => {
  const seen: TableRequest[] = [];
  const stop = onTableRequest((r) => seen.push(r));
  afterEach(() => {
    seen.length = 0;
  });

  it('names the invocation of asFunction, each item of a transaction and batch, and no function outside one', async () => {
    // Faked at the HTTP handler (aws-sdk-client-mock replaces `send`, which would skip the middleware under test).
    const requestHandler = {
      async handle() {
        return { response: { statusCode: 200, headers: { 'content-type': 'application/x-amz-json-1.0', 'content-length': '2' }, body: new Blob(['{}']).stream() } };
      },
    };
    const client = createTableClient({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' }, requestHandler: requestHandler as never });
    await asFunction('cases', async () => {
      await client.send(new GetCommand({ TableName: 't', Key: { pk: 'CASE#1', sk: 'CASE' } }));
      await client.send(new TransactWriteCommand({ TransactItems: [{ Put: { TableName: 't', Item: { pk: 'CASE#1', sk: 'CASE' } } }, { Put: { TableName: 't', Item: { pk: 'OUTBOX#e', sk: 'OUTBOX' } } }] }));
    });
    await client.send(new BatchWriteCommand({ RequestItems: { t: [{ DeleteRequest: { Key: { pk: 'SCAN#r#000000', sk: 'PART' } } }] } }));
    expect(seen).toEqual([
      { operation: 'Get', partitionKeys: ['CASE#1'], functionName: 'cases' },
      { operation: 'TransactWrite', partitionKeys: ['CASE#1', 'OUTBOX#e'], functionName: 'cases' },
      { operation: 'BatchWrite', partitionKeys: ['SCAN#r#000000'] },
    ]);
    stop();
    await client.send(new GetCommand({ TableName: 't', Key: { pk: 'CASE#2', sk: 'CASE' } }));
    expect(seen).toHaveLength(3);
    client.destroy();
  });
});

describe('matchesKeyPattern (IAM StringLike)', () => {
  it('takes * for any run of characters and ? for one, everything else literally', () => {
    expect(matchesKeyPattern('CUSTOMER#1', 'CUSTOMER#*')).toBe(true);
    expect(matchesKeyPattern('CUSTOMERS', 'CUSTOMER#*')).toBe(false);
    expect(matchesKeyPattern('LEAD_EMAIL#a@b', 'LEAD#*')).toBe(false);
    expect(matchesKeyPattern('SLA_POLICY', 'SLA_POLICY')).toBe(true);
    expect(matchesKeyPattern('SLA_POLICY2', 'SLA_POLICY')).toBe(false);
    expect(matchesKeyPattern('PIPELINE', 'PIPELINE*')).toBe(true);
    expect(matchesKeyPattern('A.B', 'A?B')).toBe(true);
    expect(matchesKeyPattern('AxB', 'A.B')).toBe(false);
  });
});
