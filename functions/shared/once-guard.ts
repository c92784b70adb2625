import { DeleteCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { OnceGuard } from '#domain/cases/case-notifications.ts';
import type { Clock } from '#domain/shared/ports.ts';

const TTL_SECONDS = 7 * 24 * 3600;

/** OnceGuard on the table: a conditional put per key, expiring after a week. */
export function dynamoOnceGuard(client: DynamoDBDocumentClient, tableName: string, clock: Clock): OnceGuard {
  const key = (k: string) => ({ pk: `ONCE#${k}`, sk: 'ONCE' });
  return {
    async claim(k) {
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...key(k), expiresAt: Math.floor(clock.now().getTime() / 1000) + TTL_SECONDS },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
    },
    async release(k) {
      await client.send(new DeleteCommand({ TableName: tableName, Key: key(k) }));
    },
  };
}
