import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { ArticleRevision } from '#domain/knowledge/article.schema.ts';
import type { LiveArticles } from '#domain/knowledge/help.ports.ts';
import { TABLE } from '#infra/table.ts';
import { batchGet } from '../shared/dynamo-batch.ts';
import { CATEGORIES_KEY, fromCategoriesItem, fromRevisionItem, liveKey, livePartition, slugKey } from './article.keys.ts';

// Read-only view of what the authoring side published: the LIVE item of an article, its slug
// pointer, a locale's live articles (gsi1 HELP#<locale>) and the category tree.

const BY_CREATED = TABLE.indexes.byCreatedAt;

export function dynamoLiveArticles({ client, tableName }: { client: DynamoDBDocumentClient; tableName: string }): LiveArticles {
  const byId = async (id: string): Promise<ArticleRevision | undefined> => {
    // Consistent: the indexer reads it right after the publish that wrote it.
    const out = await client.send(new GetCommand({ TableName: tableName, Key: liveKey(id), ConsistentRead: true }));
    return out.Item ? fromRevisionItem(out.Item) : undefined;
  };
  return {
    byId,

    async bySlug(slug) {
      const out = await client.send(new GetCommand({ TableName: tableName, Key: slugKey(slug) }));
      const articleId = out.Item?.articleId;
      if (typeof articleId !== 'string') return undefined;
      const live = await byId(articleId);
      // A slug pointer may outlive a rename; only the slug the live revision carries is its address.
      return live?.slug === slug ? live : undefined;
    },

    async manyById(ids) {
      const items = await batchGet(client, tableName, [...new Set(ids)].map(liveKey));
      return new Map(items.map(fromRevisionItem).map((r) => [r.articleId, r]));
    },

    async ofLocale(locale) {
      const found: ArticleRevision[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const out = await client.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: BY_CREATED.name,
            KeyConditionExpression: '#p = :p',
            ExpressionAttributeNames: { '#p': BY_CREATED.partitionKey },
            ExpressionAttributeValues: { ':p': livePartition(locale) },
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        );
        found.push(...(out.Items ?? []).map(fromRevisionItem));
        start = out.LastEvaluatedKey;
      } while (start);
      return found;
    },

    async categories() {
      const out = await client.send(new GetCommand({ TableName: tableName, Key: CATEGORIES_KEY }));
      return fromCategoriesItem(out.Item);
    },
  };
}
