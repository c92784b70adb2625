import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock, IdGenerator } from '#domain/shared/ports.ts';
import { dynamoArticleRepository, dynamoCategoryRepository } from './article.dynamodb-repository.ts';
import { markdownRenderer } from './markdown-renderer.ts';

// Builders shared by the knowledge Lambda's composition root and the local runtime.

export interface KnowledgeInfra {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

/** The authoring ports of KnowledgePorts (the search side adds its own). */
export const authoringPortsFor = (infra: KnowledgeInfra) => ({
  articles: dynamoArticleRepository(infra),
  categories: dynamoCategoryRepository(infra),
  renderer: markdownRenderer,
});
