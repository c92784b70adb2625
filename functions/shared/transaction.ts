import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ConcurrentUpdateError } from '#domain/shared/errors.ts';
import type { TransactItem } from './outbox.ts';
import { jitteredPause } from './system.ts';

/**
 * Tries for a transaction DynamoDB cancels with TransactionConflict (another transaction held one
 * of its items at that moment; nothing was written). Real DynamoDB does this under contention
 * (DynamoDB Local serialises and never does): the same items usually commit a moment later.
 */
export const CONFLICT_ATTEMPTS = 4;

/**
 * Unconditional writes too many for one transaction (DynamoDB takes 100 items), committed 90 at a
 * time: each chunk is atomic, the whole is not, so callers use it only for idempotent rewrites.
 */
export async function commitInChunks(client: DynamoDBDocumentClient, items: readonly TransactItem[], size = 90): Promise<void> {
  for (let start = 0; start < items.length; start += size) await commit(client, items.slice(start, start + size));
}

/** Items whose condition failed, by index; undefined when the transaction committed. */
export type FailedConditions = ReadonlySet<number>;

/**
 * Commits the items atomically. Returns the indexes whose ConditionExpression failed (the caller
 * maps them to domain errors). Conflicts with other transactions are retried with jittered
 * backoff, then a ConcurrentUpdateError (409); any other cancellation or error is rethrown.
 */
export async function commit(client: DynamoDBDocumentClient, items: TransactItem[]): Promise<FailedConditions | undefined> {
  for (let attempt = 1; ; attempt++) {
    try {
      await client.send(new TransactWriteCommand({ TransactItems: items }));
      return undefined;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const codes = (error.CancellationReasons ?? []).map((reason) => reason.Code);
      const failed = new Set(codes.flatMap((code, index) => (code === 'ConditionalCheckFailed' ? [index] : [])));
      if (failed.size > 0) return failed;
      if (!codes.includes('TransactionConflict') || codes.some((code) => code !== 'TransactionConflict' && code !== 'None')) throw error;
      if (attempt >= CONFLICT_ATTEMPTS) throw new ConcurrentUpdateError();
      await jitteredPause.pause(attempt);
    }
  }
}
