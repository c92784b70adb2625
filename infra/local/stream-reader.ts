import { existsSync, readFileSync } from 'node:fs';
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { TABLE } from '../table.ts';
import { writeFileAtomic } from './atomic-file.ts';
import { compilePattern, type Pattern } from './event-pattern.ts';

// Reads the DynamoDB Local stream the way a Lambda event-source mapping reads the real one:
// shard by shard, in order, filtered, in batches, retrying from the first failed record.

export interface StreamConsumer {
  readonly name: string;
  readonly filter: Pattern;
  readonly batchSize: number;
  /**
   * Lambda's ParallelizationFactor: batches of different partition keys of a shard go to this many
   * invocations at once; one partition key's records stay in order (default 1: the whole shard in order).
   */
  readonly parallelization?: number;
  readonly handler: (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | void>;
}

interface ShardState {
  iterator: string | undefined;
  closed: boolean;
}

export interface StreamReaderOptions {
  readonly dynamodb: DynamoDBClient;
  readonly streams: DynamoDBStreamsClient;
  readonly tableName: string;
  readonly consumers: readonly StreamConsumer[];
  /** File that keeps the last delivered sequence per shard (only when data persists). */
  readonly checkpointFile?: string;
  readonly pollMs?: number;
  readonly maxAttempts?: number;
  /** The records a consumer gave up on after maxAttempts (its on-failure destination). */
  readonly onGiveUp?: (consumer: string, records: readonly DynamoDBRecord[]) => void;
}

export function startStreamReader(options: StreamReaderOptions) {
  const { dynamodb, streams, tableName, consumers } = options;
  const pollMs = options.pollMs ?? 100;
  const maxAttempts = options.maxAttempts ?? 5;
  const shards = new Map<string, ShardState>();
  const filters = new Map(consumers.map((c) => [c, compilePattern(c.filter)] as const));
  const checkpoints: Record<string, string> =
    options.checkpointFile && existsSync(options.checkpointFile) ? JSON.parse(readFileSync(options.checkpointFile, 'utf8')) : {};
  let streamArn: string | undefined;
  let stopped = false;
  let lastDiscovery = 0;
  let cycle = 0;
  let idleWaiters: { after: number; since: number; resolve: () => void }[] = [];
  /** DynamoDB Local makes stream records readable a moment after the write commits. */
  const SETTLE_MS = 250;

  async function discoverShards() {
    if (!streamArn) {
      const table = await dynamodb.send(new DescribeTableCommand({ TableName: tableName }));
      streamArn = table.Table?.LatestStreamArn;
      if (!streamArn) throw new Error(`Table ${tableName} has no stream`);
    }
    const described = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    for (const shard of described.StreamDescription?.Shards ?? []) {
      const id = shard.ShardId!;
      if (shards.has(id)) continue;
      shards.set(id, { iterator: await iteratorFor(id), closed: false });
    }
    lastDiscovery = Date.now();
  }

  /** Resumes after the last delivered record; where that one is gone, at the oldest one left. */
  async function iteratorFor(shardId: string): Promise<string | undefined> {
    const after = checkpoints[shardId];
    const horizon = () =>
      streams.send(new GetShardIteratorCommand({ StreamArn: streamArn!, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' })).then((o) => o.ShardIterator);
    if (!after) return horizon();
    try {
      const out = await streams.send(
        new GetShardIteratorCommand({ StreamArn: streamArn!, ShardId: shardId, ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after }),
      );
      return out.ShardIterator;
    } catch (error) {
      if ((error as Error).name !== 'TrimmedDataAccessException') throw error;
      return horizon();
    }
  }

  /** One consumer's records in order, in batches, retrying from the first failed record. */
  async function deliverInOrder(consumer: StreamConsumer, wanted: _Record[]) {
    for (let start = 0; start < wanted.length; start += consumer.batchSize) {
      let batch = wanted.slice(start, start + consumer.batchSize) as DynamoDBRecord[];
      for (let attempt = 1; batch.length > 0; attempt++) {
        let failedFrom = -1;
        try {
          const response = await consumer.handler({ Records: batch });
          const failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
          failedFrom = batch.findIndex((r) => failed.has(r.dynamodb?.SequenceNumber ?? ''));
        } catch (error) {
          console.error(`[stream] ${consumer.name} failed: ${String(error)}`);
          failedFrom = 0;
        }
        if (failedFrom < 0) break;
        if (attempt >= maxAttempts) {
          console.error(`[stream] ${consumer.name}: ${batch.length - failedFrom} record(s) sent to the on-failure destination after ${attempt} attempts`);
          options.onGiveUp?.(consumer.name, batch.slice(failedFrom));
          break;
        }
        batch = batch.slice(failedFrom);
        await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
      }
    }
  }

  async function deliver(records: _Record[]) {
    for (const consumer of consumers) {
      const wanted = records.filter((r) => filters.get(consumer)!.matches(r));
      const parallel = consumer.parallelization ?? 1;
      if (parallel <= 1) {
        await deliverInOrder(consumer, wanted);
        continue;
      }
      // As Lambda does with a ParallelizationFactor: each partition key in order, up to `parallel` keys at once.
      const byKey = new Map<string, _Record[]>();
      for (const record of wanted) {
        const key = JSON.stringify(record.dynamodb?.Keys?.[TABLE.partitionKey] ?? null);
        byKey.set(key, [...(byKey.get(key) ?? []), record]);
      }
      const groups = [...byKey.values()];
      let next = 0;
      await Promise.all(
        Array.from({ length: Math.min(parallel, groups.length) }, async () => {
          for (let i = next++; i < groups.length; i = next++) await deliverInOrder(consumer, groups[i]!);
        }),
      );
    }
  }

  async function pollOnce(): Promise<number> {
    // Someone waits for idle: look for shards created since the last look (a new table's first
    // shard appears with its first write), so "nothing found" really means nothing is pending.
    if (!streamArn || idleWaiters.length > 0 || Date.now() - lastDiscovery > 2000) await discoverShards();
    let delivered = 0;
    for (const [id, state] of shards) {
      if (state.closed || !state.iterator) continue;
      let out;
      try {
        out = await streams.send(new GetRecordsCommand({ ShardIterator: state.iterator, Limit: 1000 }));
      } catch (error) {
        const name = (error as Error).name;
        if (name !== 'ExpiredIteratorException' && name !== 'TrimmedDataAccessException') throw error;
        state.iterator = await iteratorFor(id); // an iterator is short-lived; get a fresh one
        continue;
      }
      const records = out.Records ?? [];
      if (records.length) {
        await deliver(records);
        delivered += records.length;
        checkpoints[id] = records.at(-1)!.dynamodb!.SequenceNumber!;
        if (options.checkpointFile) writeFileAtomic(options.checkpointFile, JSON.stringify(checkpoints));
      }
      state.iterator = out.NextShardIterator;
      if (!out.NextShardIterator) state.closed = true;
    }
    return delivered;
  }

  const loop = (async () => {
    while (!stopped) {
      const started = ++cycle;
      let delivered = 0;
      try {
        delivered = await pollOnce();
      } catch (error) {
        if (!stopped) console.error(`[stream] poll failed: ${String(error)}`);
      }
      if (delivered === 0) {
        const isReady = (w: (typeof idleWaiters)[number]) => w.after + 1 < started && Date.now() - w.since >= SETTLE_MS;
        const ready = idleWaiters.filter(isReady);
        idleWaiters = idleWaiters.filter((w) => !isReady(w));
        ready.forEach((w) => w.resolve());
        await new Promise((r) => setTimeout(r, pollMs));
      }
    }
  })();

  return {
    /**
     * Resolves once two polls that began after the call, at least SETTLE_MS later, found nothing
     * new: everything written before the call has been delivered.
     */
    idle(): Promise<void> {
      return new Promise((resolve) => idleWaiters.push({ after: cycle, since: Date.now(), resolve }));
    },
    async stop() {
      stopped = true;
      await loop;
      idleWaiters.forEach((w) => w.resolve());
    },
  };
}
