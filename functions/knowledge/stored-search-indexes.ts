import type { IndexHead, IndexStore, SearchIndexes } from '#domain/knowledge/help.ports.ts';
import type { IndexEngine, LocaleIndex } from '#domain/knowledge/search-index.ts';
import type { Clock } from '#domain/shared/ports.ts';
import { log } from '../shared/log.ts';

// The indexes a knowledge function searches: loaded lazily on the first search of a cold start,
// then kept in memory; at most every `checkEveryMs` one Query of the heads tells whether a locale
// has a new generation, and only that locale is loaded again. So a publish is searchable within
// seconds, and a warm search reads nothing from the table between checks.

export const FRESHNESS_CHECK_MS = 2_000;

interface Loaded {
  readonly head: IndexHead;
  readonly index: LocaleIndex;
}

export function storedSearchIndexes(store: IndexStore, engine: IndexEngine, clock: Clock, checkEveryMs = FRESHNESS_CHECK_MS): SearchIndexes {
  let loaded = new Map<string, Loaded>();
  let checkedAt: number | undefined;
  let refreshing: Promise<void> | undefined;

  async function loadOrKeep(head: IndexHead): Promise<LocaleIndex | undefined> {
    const json = await store.load(head);
    if (json === undefined) return undefined;
    try {
      return engine.load(head.locale, json);
    } catch (error) {
      // One locale's broken index must not take every other locale's search down with it.
      log('warn', 'search index not loadable', { locale: head.locale, generation: head.generation, error: error instanceof Error ? error.name : typeof error });
      return undefined;
    }
  }

  async function refresh() {
    const next = new Map<string, Loaded>();
    for (const head of await store.heads()) {
      // Another format: the indexer rebuilds it on its next event; until then the old one serves.
      const have = loaded.get(head.locale);
      if (head.format !== engine.format) continue;
      if (have && have.head.generation === head.generation && have.head.chunkSet === head.chunkSet) {
        next.set(head.locale, have);
        continue;
      }
      const index = await loadOrKeep(head);
      // Chunks missing (a head read mid-flip) or unreadable: keep what we have, the next check tries again.
      if (index) next.set(head.locale, { head, index });
      else if (have) next.set(head.locale, have);
    }
    loaded = next;
  }

  return {
    async current() {
      const now = clock.now().getTime();
      if (checkedAt === undefined || now - checkedAt >= checkEveryMs) {
        refreshing ??= refresh().finally(() => (refreshing = undefined));
        try {
          await refreshing;
        } catch (error) {
          // Once loaded, search goes on with what it has while the table is unreachable (the next
          // check tries again); before anything is loaded there is nothing to serve: 503.
          if (checkedAt === undefined) throw error;
          log('warn', 'search index check failed; serving the loaded generation', { error: error instanceof Error ? error.name : typeof error });
        }
        checkedAt = now;
      }
      return new Map([...loaded].map(([locale, { index }]) => [locale, index]));
    },
  };
}
