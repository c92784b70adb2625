import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ArticleFeedback } from '#domain/knowledge/article.schema.ts';
import type { HelpUseCases } from '#domain/knowledge/help.use-cases.ts';
import type { Page } from '#domain/customers/customer.repository.ts';
import type { Clock, IdGenerator } from '#domain/shared/ports.ts';
import { lazyPort, once } from '../shared/lazy.ts';
import type { RateLimit, RateLimiter } from '../shared/rate-limit.ts';
import { markdownRenderer } from './markdown-renderer.ts';

// Builders shared by the knowledge Lambda's composition root and the local runtime. Each adapter
// (and the use cases over it) is built on its first call: its module is a chunk of its own in the
// bundle, so a cold start compiles none of them, and a request loads only what its area uses.

export interface KnowledgeInfra {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

/** The authoring ports of KnowledgePorts (the search side adds its own). */
export const authoringPortsFor = (infra: KnowledgeInfra) => {
  const repositories = once(() => import('./article.dynamodb-repository.ts'));
  return {
    articles: lazyPort(async () => (await repositories()).dynamoArticleRepository(infra)),
    categories: lazyPort(async () => (await repositories()).dynamoCategoryRepository(infra)),
    renderer: markdownRenderer,
  };
};

/**
 * Feedback per reader (address, or token subject): 10 a minute is more than a person clicks
 * "helpful" and comments, and little enough that a script cannot skew an article's counts.
 */
export const FEEDBACK_LIMIT: RateLimit = { scope: 'article-feedback', limit: 10, windowSeconds: 60 };

/** The help centre's part of the knowledge function: search, public reading, feedback, suggestions. */
export interface HelpApp {
  readonly help: HelpUseCases;
  readonly feedbackLimit: RateLimiter;
  readonly feedbackPage: (articleId: string, limit: number, cursor: string | undefined) => Promise<Page<ArticleFeedback>>;
}

export function helpAppFor(infra: KnowledgeInfra, options: { freshnessMs?: number } = {}): HelpApp {
  const table = { client: infra.client, tableName: infra.tableName };
  const feedback = once(() => import('./feedback.dynamodb.ts'));
  return {
    // The help use cases and their adapters; the search engine behind them loads on the first search (help.part.ts).
    help: lazyPort(async () => (await import('./help.part.ts')).helpUseCasesFor(infra, options)),
    feedbackLimit: lazyPort(async () => (await import('../shared/rate-limit.ts')).dynamoRateLimiter(infra, FEEDBACK_LIMIT)),
    feedbackPage: async (articleId, limit, cursor) => (await feedback()).listFeedback(table, articleId, limit, cursor),
  };
}
