import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { TransactItem } from './outbox.ts';

/** Items whose condition failed, by index; undefined when the transaction committed. */
export type FailedConditions = ReadonlySet<number>;

/**
 * Commits the items atomically. Returns the indexes whose ConditionExpression failed (the caller
 * maps them to domain errors); any other cancellation or error is rethrown.
 */
export async function commit(client: DynamoDBDocumentClient, items: TransactItem[]): Promise<FailedConditions | undefined> {
  try {
    await client.send(new TransactWriteCommand({ TransactItems: items }));
    return undefined;
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    const reasons = error.CancellationReasons ?? [];
    const failed = new Set<number>();
    reasons.forEach((reason, index) => {
      if (reason.Code === 'ConditionalCheckFailed') failed.add(index);
    });
    if (failed.size === 0) throw error;
    return failed;
  }
}
