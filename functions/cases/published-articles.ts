import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PublishedArticles } from '#domain/cases/article-links.ts';
import { fromRevisionItem, liveKey } from '../knowledge/article.keys.ts';
import { batchGet } from '../shared/dynamo-batch.ts';

/** Read adapter: the LIVE copies of knowledge-base articles (present only while an article is published). */
export function dynamoPublishedArticles(client: DynamoDBDocumentClient, tableName: string): PublishedArticles {
  return {
    async published(ids) {
      const items = await batchGet(client, tableName, ids.map(liveKey));
      return new Map(items.map(fromRevisionItem).map((live) => [live.articleId, { title: live.title, slug: live.slug }]));
    },
  };
}
