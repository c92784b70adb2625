import { gunzipSync, gzipSync } from 'node:zlib';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { IndexHead, IndexStore } from '#domain/knowledge/help.ports.ts';
import { INDEX_FORMAT } from './minisearch-engine.ts';
import type { Clock, IdGenerator } from '#domain/shared/ports.ts';
import { CHUNK_BYTES, CHUNK_PREFIX, chunkKey, chunkPartition, fromHeadItem, HEAD_PREFIX, HEADS_PARTITION, headKey, REPLACED_CHUNKS_TTL_SECONDS, toChunkItem, toHeadItem } from './search-index.keys.ts';

// The stored index of each locale: gzipped, cut into chunks (a 5,000-article index is a few MB
// of JSON, far beyond one item), a head per locale naming the current chunk set. A new generation
// is written in full before its head flips (conditional on the generation it replaced), so a reader
// sees either the old index or the new one; the replaced chunks expire minutes later, not at once,
// so a reader that was loading them finishes.

export interface IndexStoreInfra {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

export function dynamoIndexStore({ client, tableName, clock, ids }: IndexStoreInfra): IndexStore {
  async function chunksOf(head: Pick<IndexHead, 'locale' | 'chunkSet'>): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :p AND begins_with(sk, :c)',
          ExpressionAttributeValues: { ':p': chunkPartition(head.locale, head.chunkSet), ':c': CHUNK_PREFIX },
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  }

  async function expire(head: IndexHead) {
    const expiresAt = Math.floor(clock.now().getTime() / 1000) + REPLACED_CHUNKS_TTL_SECONDS;
    const chunkNumbers = Array.from({ length: head.chunks }, (_, n) => n);
    await Promise.all(chunkNumbers.map((n) =>
      client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: chunkKey(head.locale, head.chunkSet, n),
          UpdateExpression: 'SET expiresAt = :e',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':e': expiresAt },
        }),
      ).catch((error: unknown) => {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }),
    ));
  }

  return {
    async heads() {
      const out = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :p AND begins_with(sk, :h)',
          ExpressionAttributeValues: { ':p': HEADS_PARTITION, ':h': HEAD_PREFIX },
          ConsistentRead: true,
        }),
      );
      return (out.Items ?? []).map(fromHeadItem);
    },

    async head(locale) {
      const out = await client.send(new GetCommand({ TableName: tableName, Key: headKey(locale), ConsistentRead: true }));
      return out.Item ? fromHeadItem(out.Item) : undefined;
    },

    async load(head) {
      const items = await chunksOf(head);
      if (items.length !== head.chunks) return undefined;
      const parts = items.map((item) => item.data as Uint8Array);
      return gunzipSync(Buffer.concat(parts)).toString('utf8');
    },

    async save(locale, json, articles, previous) {
      const zipped = gzipSync(json);
      const chunkSet = ids.next();
      const chunks = Math.max(1, Math.ceil(zipped.length / CHUNK_BYTES));
      // Side by side: a 5,000-article index is ~10 chunks, and nobody reads this chunk set before the head names it.
      await Promise.all(
        Array.from({ length: chunks }, (_, n) =>
          client.send(new PutCommand({ TableName: tableName, Item: toChunkItem(locale, chunkSet, n, zipped.subarray(n * CHUNK_BYTES, (n + 1) * CHUNK_BYTES)) })),
        ),
      );
      const head: IndexHead = {
        locale,
        generation: (previous?.generation ?? 0) + 1,
        format: INDEX_FORMAT,
        chunkSet,
        chunks,
        articles,
        bytes: zipped.length,
        updatedAt: clock.now().toISOString(),
      };
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: toHeadItem(head),
            ...(previous
              ? { ConditionExpression: 'generation = :g AND chunkSet = :s', ExpressionAttributeValues: { ':g': previous.generation, ':s': previous.chunkSet } }
              : { ConditionExpression: 'attribute_not_exists(pk)' }),
          }),
        );
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        // Lost the race: this writer's chunks are nobody's; let them expire.
        await expire(head);
        return 'conflict';
      }
      if (previous) await expire(previous);
      return 'saved';
    },
  };
}
