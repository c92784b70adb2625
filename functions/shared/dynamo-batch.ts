import { BatchGetCommand, BatchWriteCommand, type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';

type Key = Record<string, unknown>;
type Item = Record<string, unknown>;

const backoff = (attempt: number) => new Promise((r) => setTimeout(r, 20 * 2 ** attempt));

/** BatchGetItem in chunks of 100, retrying unprocessed keys; strongly consistent. */
export async function batchGet(client: DynamoDBDocumentClient, tableName: string, keys: readonly Key[]): Promise<Item[]> {
  const items: Item[] = [];
  for (let start = 0; start < keys.length; start += 100) {
    let pending: Key[] = keys.slice(start, start + 100);
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 8) throw new Error('BatchGetItem left keys unprocessed after retries');
      if (attempt > 0) await backoff(attempt);
      const out = await client.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } } }));
      items.push(...(out.Responses?.[tableName] ?? []));
      pending = (out.UnprocessedKeys?.[tableName]?.Keys as Key[] | undefined) ?? [];
    }
  }
  return items;
}

/** BatchWriteItem deletes in chunks of 25, retrying unprocessed ones. Idempotent. */
export async function batchDelete(client: DynamoDBDocumentClient, tableName: string, keys: readonly Key[]): Promise<void> {
  const unique = [...new Map(keys.map((k) => [JSON.stringify(k), k])).values()];
  for (let start = 0; start < unique.length; start += 25) {
    let requests = unique.slice(start, start + 25).map((Key) => ({ DeleteRequest: { Key } }));
    for (let attempt = 0; requests.length > 0; attempt++) {
      if (attempt > 8) throw new Error('BatchWriteItem left requests unprocessed after retries');
      if (attempt > 0) await backoff(attempt);
      const out = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
      requests = (out.UnprocessedItems?.[tableName] as typeof requests | undefined) ?? [];
    }
  }
}

/** Every item of a query, page by page (for erasure, export and moves; never a request path list). */
export async function* queryAll(client: DynamoDBDocumentClient, input: QueryCommandInput): AsyncGenerator<Item[]> {
  let ExclusiveStartKey: Key | undefined;
  do {
    const out = await client.send(new QueryCommand({ ...input, ...(ExclusiveStartKey ? { ExclusiveStartKey } : {}) }));
    yield out.Items ?? [];
    ExclusiveStartKey = out.LastEvaluatedKey;
  } while (ExclusiveStartKey);
}
