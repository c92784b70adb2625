import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { IdempotencyKeyReusedError } from '#domain/shared/errors.ts';
import type { IdempotencyClaim } from '#domain/shared/ports.ts';
import type { TransactItem } from './outbox.ts';

// Idempotency records join the transaction of the write they protect: the first call commits
// both; a retry fails the record's condition and gets the stored result back.

const TTL_SECONDS = 24 * 3600;

export const idempotencyKeyOf = (claim: IdempotencyClaim) => ({ pk: `IDEMPOTENCY#${claim.scope}#${claim.key}`, sk: 'IDEMPOTENCY' });

/**
 * The record (first: callers read `failed.has(0)` as "this key was used before") and, when the
 * stored result holds personal data, a reference row per person it names, which their erasure
 * follows to delete it.
 */
export function idempotencyItems(
  tableName: string,
  claim: IdempotencyClaim,
  result: unknown,
  now: Date,
  referencesAt: (recordPk: string) => readonly { pk: string; sk: string }[] = () => [],
): TransactItem[] {
  const recordPk = idempotencyKeyOf(claim).pk;
  return [
    idempotencyPut(tableName, claim, result, now),
    ...referencesAt(recordPk).map((at): TransactItem => ({ Put: { TableName: tableName, Item: { ...at, type: 'Ref', target: recordPk } } })),
  ];
}

function idempotencyPut(tableName: string, claim: IdempotencyClaim, result: unknown, now: Date): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: {
        ...idempotencyKeyOf(claim),
        fingerprint: claim.fingerprint,
        result: JSON.stringify(result),
        expiresAt: Math.floor(now.getTime() / 1000) + TTL_SECONDS,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** The first call's result; throws IdempotencyKeyReusedError if the key came with another request. */
export async function storedResult<T>(client: DynamoDBDocumentClient, tableName: string, claim: IdempotencyClaim): Promise<T | undefined> {
  const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: idempotencyKeyOf(claim), ConsistentRead: true }));
  if (!Item) return undefined;
  if (Item.fingerprint !== claim.fingerprint) throw new IdempotencyKeyReusedError();
  return JSON.parse(String(Item.result)) as T;
}
