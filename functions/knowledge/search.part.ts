import { searchIndexer } from '#domain/knowledge/search-indexer.use-cases.ts';
import type { RetryPause } from '#domain/shared/ports.ts';
import type { KnowledgeInfra } from './knowledge.composition.ts';
import { dynamoLiveArticles } from './live-articles.dynamodb.ts';
import { miniSearchEngine } from './minisearch-engine.ts';
import { dynamoIndexStore } from './search-index.dynamodb-store.ts';
import { FRESHNESS_CHECK_MS, storedSearchIndexes } from './stored-search-indexes.ts';

// The search engine's side of the knowledge context: the indexes the help centre searches and the
// indexer that writes them. MiniSearch and the stemmers (~100 KB) are compiled only by what searches.

/** The stored indexes as a knowledge function searches them (loaded on its first search). */
export const searchIndexesFor = (infra: KnowledgeInfra, freshnessMs = FRESHNESS_CHECK_MS) => storedSearchIndexes(dynamoIndexStore(infra), miniSearchEngine, infra.clock, freshnessMs);

/** The searchIndexer function's use case. */
export function searchIndexerFor(infra: KnowledgeInfra, retry: RetryPause) {
  return searchIndexer({ articles: dynamoLiveArticles(infra), store: dynamoIndexStore(infra), engine: miniSearchEngine, retry });
}
