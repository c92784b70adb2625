import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { ArticleFeedback } from '#domain/knowledge/article.schema.ts';
import type { FeedbackStore } from '#domain/knowledge/help.ports.ts';
import { NotFoundError } from '#domain/shared/errors.ts';
import { queryPage } from '../shared/db.ts';
import { commit } from '../shared/transaction.ts';
import { articlePartition, countsKey, FEEDBACK_PREFIX, fromFeedbackItem, toFeedbackItem } from './article.keys.ts';

// Readers' feedback: the vote counted on the COUNTS item (ADD, apart from the working copy) and the
// feedback kept as its own item, in one transaction. Nothing about the reader is stored.

interface Table {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
}

export function dynamoFeedbackStore({ client, tableName }: Table): FeedbackStore {
  return {
    async record(feedback: ArticleFeedback) {
      await commit(client, [
        {
          Update: {
            TableName: tableName,
            Key: countsKey(feedback.articleId),
            UpdateExpression: 'SET #t = :t ADD #c :one',
            ExpressionAttributeNames: { '#t': 'type', '#c': feedback.helpful ? 'helpful' : 'notHelpful' },
            ExpressionAttributeValues: { ':t': 'ArticleCounts', ':one': 1 },
          },
        },
        { Put: { TableName: tableName, Item: toFeedbackItem(feedback), ConditionExpression: 'attribute_not_exists(pk)' } },
      ]);
    },
  };
}

/** Staff listing: an article's feedback newest first; 404 when no such article ever existed. */
export async function listFeedback(table: Table, articleId: string, limit: number, cursor: string | undefined) {
  const page = await queryPage(table, { name: `feedback:${articleId}`, partition: articlePartition(articleId), sortPrefix: FEEDBACK_PREFIX, limit, cursor });
  if (page.items.length === 0 && cursor === undefined) {
    const any = await table.client.send(
      new QueryCommand({ TableName: table.tableName, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': articlePartition(articleId) }, Limit: 1, ProjectionExpression: 'pk' }),
    );
    if ((any.Items ?? []).length === 0) throw new NotFoundError(`No article with id ${articleId}.`);
  }
  return { items: page.items.map(fromFeedbackItem), nextCursor: page.nextCursor };
}
