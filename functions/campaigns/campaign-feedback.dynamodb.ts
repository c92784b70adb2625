import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { FeedbackCounters } from '#domain/campaigns/campaign-feedback.ts';
import type { Clock } from '#domain/shared/ports.ts';
import { customerCheck, NOT_ERASING } from '../customers/customer-guard.ts';
import { commit } from '../shared/transaction.ts';
import { feedbackOnceKey, recipientKey, reportKey } from './campaign.keys.ts';

/** Long enough for a dead-lettered event redriven within its queue's 14 days to still find its mark. */
const MARK_TTL_SECONDS = 30 * 24 * 3600;

/**
 * Each count is a mark written once, then `ADD` on the report. Not one transaction: the report is
 * one item every feedback event and every send of the campaign updates, and transactions on a hot
 * item are cancelled by each other (TransactionConflict); a plain ADD is not. The cost: 2 writes
 * per event (a transaction would be 4 write units), and a crash between the two writes loses that
 * one count: a count is at most once, never twice. A failed ADD takes its mark back, so the
 * retried event counts.
 */
export function dynamoFeedbackCounters(client: DynamoDBDocumentClient, tableName: string, clock: Clock): FeedbackCounters {
  async function add(campaignId: string, counter: string, undo: () => Promise<unknown>) {
    try {
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: reportKey(campaignId),
          UpdateExpression: 'ADD #counter :one',
          ExpressionAttributeNames: { '#counter': counter },
          ExpressionAttributeValues: { ':one': 1 },
        }),
      );
    } catch (error) {
      await undo().catch(() => undefined); // the original error is the one to retry on
      throw error;
    }
  }

  return {
    async countMessage(campaignId, kind, messageId) {
      const key = feedbackOnceKey(kind, messageId);
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...key, state: 'done', campaignId, expiresAt: Math.floor(clock.now().getTime() / 1000) + MARK_TTL_SECONDS },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
      await add(campaignId, kind, () => client.send(new DeleteCommand({ TableName: tableName, Key: key })));
      return true;
    },

    async countUnsubscribe(campaignId, customerId, at) {
      const recipient = recipientKey(customerId, campaignId);
      // The mark sits on the recipient item, in the customer's partition (erasure takes it with
      // the rest), with the erasure guard: a customer gone or being erased is counted no more.
      const failed = await commit(client, [
        customerCheck({ tableName }, customerId, NOT_ERASING),
        {
          Update: {
            TableName: tableName,
            Key: recipient,
            UpdateExpression: 'SET unsubscribedAt = :at',
            ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(unsubscribedAt)',
            ExpressionAttributeValues: { ':at': at },
          },
        },
      ]);
      if (failed) return false; // counted before, never a recipient, or the customer is gone
      await add(campaignId, 'unsubscribed', () =>
        client.send(new UpdateCommand({ TableName: tableName, Key: recipient, UpdateExpression: 'REMOVE unsubscribedAt', ConditionExpression: 'attribute_exists(pk)' })),
      );
      return true;
    },
  };
}
