import type { EventBridgeEvent } from 'aws-lambda';
import type { SearchIndexer } from '#domain/knowledge/search-indexer.use-cases.ts';
import { ArticlePublished } from '#events/article-published.event.ts';
import { ArticleWithdrawn } from '#events/article-withdrawn.event.ts';
import { log } from '../shared/log.ts';

// Rules article-published-index and article-withdrawn-index: both reconcile the article with what
// is live in the event's locale (a thrown error makes EventBridge retry, then dead-letter).

type AnyEvent = EventBridgeEvent<string, unknown>;

export function searchIndexerHandler(indexer: SearchIndexer) {
  return async (event: AnyEvent) => {
    const { articleId, locale } = event['detail-type'] === ArticleWithdrawn.detailType ? ArticleWithdrawn.detail.parse(event.detail).data : ArticlePublished.detail.parse(event.detail).data;
    const outcome = await indexer.reconcile(locale, articleId);
    log('info', 'search index', { detailType: event['detail-type'], articleId, locale, outcome });
    return outcome;
  };
}
