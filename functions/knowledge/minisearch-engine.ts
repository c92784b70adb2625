import MiniSearch, { type SearchResult } from 'minisearch';
import type { ArticleRevision } from '#domain/knowledge/article.schema.ts';
import { type IndexedArticle, type IndexEngine, type LocaleIndex, type RawHit, type StoredFields, toIndexed, WORD_SEPARATOR } from '#domain/knowledge/search-index.ts';
import { stemmerFor } from './stemmers.ts';

// The search engine behind the domain's LocaleIndex port: one locale's full-text index (MiniSearch): relevance-ranked (BM25+, the title boosted over the
// body), prefix and typo tolerant, stemmed with the locale's Snowball stemmer. It stores what a
// hit shows (title, slug, category, the body's plain text for snippets), so a search reads no
// article. The serialised form (toJSON) is what the indexer stores and a cold start loads.


const FIELDS = ['title', 'text', 'tags'];
const STORE = ['slug', 'title', 'locale', 'category', 'revision', 'publishedAt'];

/** The term a word becomes in this locale's index: lower case, stemmed. */
/** Words stemmed per locale, remembered: a help centre's vocabulary is small and every snippet re-stems its words. */
const STEM_CACHE_SIZE = 50_000;
const processors = new Map<string, (word: string) => string | null>();

export function termProcessor(locale: string): (word: string) => string | null {
  const known = processors.get(locale);
  if (known) return known;
  const stem = stemmerFor(locale);
  const cache = new Map<string, string>();
  const process = (word: string) => {
    if (word.length === 0) return null;
    let term = cache.get(word);
    if (term === undefined) {
      if (cache.size >= STEM_CACHE_SIZE) cache.clear();
      term = stem(word.toLowerCase());
      cache.set(word, term);
    }
    return term;
  };
  processors.set(locale, process);
  return process;
}

function options(locale: string) {
  return {
    idField: 'id',
    fields: FIELDS,
    storeFields: STORE,
    processTerm: termProcessor(locale),
    tokenize: (text: string) => text.split(WORD_SEPARATOR),
    // Vacuuming runs before the indexer serialises (see serialise), not in the background.
    autoVacuum: false,
    searchOptions: {
      boost: { title: 3, tags: 2 },
      // "pass" finds "password"; "pasword" finds "password" (one edit per five letters, none below four).
      prefix: (term: string) => term.length >= 3,
      fuzzy: (term: string) => (term.length >= 4 ? 0.2 : false),
      combineWith: 'OR' as const,
    },
  };
}

class MiniSearchIndex implements LocaleIndex {
  readonly locale: string;
  private readonly engine: MiniSearch<IndexedArticle>;

  private constructor(locale: string, engine: MiniSearch<IndexedArticle>) {
    this.locale = locale;
    this.engine = engine;
  }

  static empty(locale: string): MiniSearchIndex {
    return new MiniSearchIndex(locale, new MiniSearch<IndexedArticle>(options(locale)));
  }

  static of(locale: string, articles: readonly ArticleRevision[]): MiniSearchIndex {
    const index = MiniSearchIndex.empty(locale);
    index.engine.addAll(articles.map(toIndexed));
    return index;
  }

  /** A serialised index (toJSON) back into memory without tokenising any article again. */
  static load(locale: string, json: string): MiniSearchIndex {
    return new MiniSearchIndex(locale, MiniSearch.loadJSON<IndexedArticle>(json, options(locale)));
  }

  process(word: string): string | null {
    return termProcessor(this.locale)(word);
  }

  get size(): number {
    return this.engine.documentCount;
  }

  /** The revision indexed for an article, if any. */
  revisionOf(id: string): number | undefined {
    const stored = this.engine.getStoredFields(id);
    return stored ? Number(stored.revision) : undefined;
  }

  /** Adds or replaces an article; false when that revision (or a newer one) is already in. */
  upsert(r: ArticleRevision): boolean {
    const current = this.revisionOf(r.articleId);
    if (current !== undefined && current >= r.revision) return false;
    if (current !== undefined) this.engine.discard(r.articleId);
    this.engine.add(toIndexed(r));
    return true;
  }

  /** Removes an article; false when it was not in. */
  remove(id: string): boolean {
    if (!this.engine.has(id)) return false;
    this.engine.discard(id);
    return true;
  }

  /** The index as text, discarded articles purged first (so they do not weigh on every cold start). */
  async serialise(): Promise<string> {
    if (this.engine.dirtCount > 0) await this.engine.vacuum({ batchSize: 5000, batchWait: 0 });
    return JSON.stringify(this.engine);
  }

  /** Every article matching `q`, best first; with `accept`, only the articles it accepts. */
  search(q: string, accept?: (fields: StoredFields) => boolean): RawHit[] {
    const filter = accept ? (r: SearchResult) => accept(r as unknown as StoredFields) : undefined;
    return this.engine.search(q, filter ? { filter } : {}).map((r) => ({ fields: storedOf(r), score: r.score, terms: r.terms }));
  }

  /** Every article (with `accept`, the ones it accepts), in no particular order. */
  all(accept?: (fields: StoredFields) => boolean): StoredFields[] {
    const filter = accept ? (r: SearchResult) => accept(r as unknown as StoredFields) : undefined;
    return this.engine.search(MiniSearch.wildcard, filter ? { filter } : {}).map(storedOf);
  }
}

function storedOf(r: SearchResult): StoredFields {
  return {
    id: String(r.id),
    slug: String(r.slug),
    title: String(r.title),
    locale: String(r.locale),
    category: (r.category as string | null | undefined) ?? null,
    revision: Number(r.revision),
    publishedAt: String(r.publishedAt),
  };
}

/** Bumped when the fields, options or stemming change: a stored index of another format is rebuilt. */
export const INDEX_FORMAT = 'minisearch7-v2';

export const miniSearchEngine: IndexEngine = {
  format: INDEX_FORMAT,
  empty: (locale) => MiniSearchIndex.empty(locale),
  of: (locale, articles) => MiniSearchIndex.of(locale, articles),
  load: (locale, json) => MiniSearchIndex.load(locale, json),
};
