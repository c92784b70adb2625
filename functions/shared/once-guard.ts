import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Clock, OnceGuard } from '#domain/shared/ports.ts';

const TTL_SECONDS = 7 * 24 * 3600;
/**
 * How long a claim in progress keeps others out. Longer than any consumer runs (Lambda timeouts
 * here are at most a minute), so only an attempt that died loses its claim to a retry.
 */
export const CLAIM_LEASE_SECONDS = 5 * 60;

const isConditionFailure = (error: unknown) => error instanceof ConditionalCheckFailedException;

/**
 * OnceGuard on the table: `ONCE#<key>` holds `state` claimed (with `leaseUntil`) or done, and
 * expires after a week. Items written before claims had a state count as done.
 */
export function dynamoOnceGuard(client: DynamoDBDocumentClient, tableName: string, clock: Clock): OnceGuard {
  const key = (k: string) => ({ pk: `ONCE#${k}`, sk: 'ONCE' });
  const seconds = () => Math.floor(clock.now().getTime() / 1000);
  return {
    async claim(k) {
      const now = seconds();
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...key(k), state: 'claimed', leaseUntil: now + CLAIM_LEASE_SECONDS, expiresAt: now + TTL_SECONDS },
            ConditionExpression: 'attribute_not_exists(pk) OR (#state = :claimed AND leaseUntil < :now)',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':claimed': 'claimed', ':now': now },
          }),
        );
        return 'claimed';
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: key(k), ConsistentRead: true }));
      // Gone meanwhile (released by a failed attempt): let the retry claim it.
      return !Item || Item.state === 'claimed' ? 'busy' : 'done';
    },
    async done(k) {
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: key(k),
          UpdateExpression: 'SET #state = :done, expiresAt = :expires REMOVE leaseUntil',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':done': 'done', ':expires': seconds() + TTL_SECONDS },
        }),
      );
    },
    async release(k) {
      try {
        await client.send(
          new DeleteCommand({ TableName: tableName, Key: key(k), ConditionExpression: '#state = :claimed', ExpressionAttributeNames: { '#state': 'state' }, ExpressionAttributeValues: { ':claimed': 'claimed' } }),
        );
      } catch (error) {
        if (!isConditionFailure(error)) throw error; // already done (or gone): nothing to give up
      }
    },
  };
}
