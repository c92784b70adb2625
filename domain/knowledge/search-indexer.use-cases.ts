import type { RetryPause } from '../shared/ports.ts';
import type { IndexStore, LiveArticles } from './help.ports.ts';
import type { IndexEngine } from './search-index.ts';

// The search indexer keeps each locale's stored index in step with what is published.
// flow: 1. load the locale's current generation (or rebuild it from the locale's live articles when
// there is none, or it is of another format); 2. reconcile the one article with its live item (in
// this locale and newer than indexed: add or replace; gone or moved to another locale: remove);
// 3. store a new generation and flip the head on the old one (another writer won: start again).
// Reconciling with the live item, not the event, makes a re-delivered or out-of-order event harmless.

export const INDEX_ATTEMPTS = 6;

export interface IndexerPorts {
  readonly articles: LiveArticles;
  readonly store: IndexStore;
  readonly engine: IndexEngine;
  readonly retry: RetryPause;
}

export type IndexOutcome = 'added' | 'replaced' | 'removed' | 'rebuilt' | 'unchanged';

export class IndexConflictError extends Error {
  constructor(locale: string) {
    super(`The search index of ${locale} kept changing under ${INDEX_ATTEMPTS} attempts; retry.`);
    this.name = 'IndexConflictError';
  }
}

export function searchIndexer({ articles, store, engine, retry }: IndexerPorts) {
  async function current(locale: string) {
    const head = await store.head(locale);
    if (head && head.format === engine.format) {
      const json = await store.load(head);
      if (json !== undefined) return { head, index: engine.load(locale, json), rebuilt: false };
    }
    return { head, index: engine.of(locale, await articles.ofLocale(locale)), rebuilt: true };
  }

  /** Brings one article's entry in one locale's index in line with what is published. */
  async function reconcile(locale: string, articleId: string): Promise<IndexOutcome> {
    for (let attempt = 1; attempt <= INDEX_ATTEMPTS; attempt++) {
      const { head, index, rebuilt } = await current(locale);
      const live = await articles.byId(articleId);
      const wasIn = index.revisionOf(articleId) !== undefined;
      let outcome: IndexOutcome = rebuilt ? 'rebuilt' : 'unchanged';
      if (live && live.locale === locale) {
        if (index.upsert(live) && !rebuilt) outcome = wasIn ? 'replaced' : 'added';
      } else if (index.remove(articleId) && !rebuilt) {
        outcome = 'removed';
      }
      if (outcome === 'unchanged') return outcome;
      const saved = await store.save(locale, await index.serialise(), index.size, head);
      if (saved === 'saved') return outcome;
      await retry.pause(attempt);
    }
    throw new IndexConflictError(locale);
  }

  return {
    reconcile,
    /** Rebuilds a locale's index from its live articles (a new format, or by hand). */
    async rebuild(locale: string): Promise<number> {
      for (let attempt = 1; attempt <= INDEX_ATTEMPTS; attempt++) {
        const head = await store.head(locale);
        const index = engine.of(locale, await articles.ofLocale(locale));
        if ((await store.save(locale, await index.serialise(), index.size, head)) === 'saved') return index.size;
        await retry.pause(attempt);
      }
      throw new IndexConflictError(locale);
    },
  };
}

export type SearchIndexer = ReturnType<typeof searchIndexer>;
