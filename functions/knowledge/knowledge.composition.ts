import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { helpUseCases } from '#domain/knowledge/help.use-cases.ts';
import { searchIndexer } from '#domain/knowledge/search-indexer.use-cases.ts';
import type { Clock, IdGenerator, RetryPause } from '#domain/shared/ports.ts';
import { dynamoRateLimiter, type RateLimit } from '../shared/rate-limit.ts';
import { dynamoArticleRepository, dynamoCategoryRepository } from './article.dynamodb-repository.ts';
import { dynamoCaseTexts } from './case-texts.dynamodb.ts';
import { dynamoFeedbackStore, listFeedback } from './feedback.dynamodb.ts';
import { dynamoLiveArticles } from './live-articles.dynamodb.ts';
import { markdownRenderer } from './markdown-renderer.ts';
import { dynamoIndexStore } from './search-index.dynamodb-store.ts';
import { miniSearchEngine } from './minisearch-engine.ts';
import { FRESHNESS_CHECK_MS, storedSearchIndexes } from './stored-search-indexes.ts';

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

/**
 * Feedback per reader (address, or token subject): 10 a minute is more than a person clicks
 * "helpful" and comments, and little enough that a script cannot skew an article's counts.
 */
export const FEEDBACK_LIMIT: RateLimit = { scope: 'article-feedback', limit: 10, windowSeconds: 60 };

/** The help centre's part of the knowledge function: search, public reading, feedback, suggestions. */
export function helpAppFor(infra: KnowledgeInfra, options: { freshnessMs?: number } = {}) {
  const table = { client: infra.client, tableName: infra.tableName };
  return {
    help: helpUseCases({
      articles: dynamoLiveArticles(table),
      indexes: storedSearchIndexes(dynamoIndexStore(infra), miniSearchEngine, infra.clock, options.freshnessMs ?? FRESHNESS_CHECK_MS),
      feedback: dynamoFeedbackStore(table),
      cases: dynamoCaseTexts(table),
      clock: infra.clock,
      ids: infra.ids,
    }),
    feedbackLimit: dynamoRateLimiter(infra, FEEDBACK_LIMIT),
    feedbackPage: (articleId: string, limit: number, cursor: string | undefined) => listFeedback(table, articleId, limit, cursor),
  };
}

export type HelpApp = ReturnType<typeof helpAppFor>;

/** The searchIndexer function's use case. */
export function searchIndexerFor(infra: KnowledgeInfra, retry: RetryPause) {
  return searchIndexer({ articles: dynamoLiveArticles(infra), store: dynamoIndexStore(infra), engine: miniSearchEngine, retry });
}
