import type { ArticleRevision } from './article.schema.ts';

// The search index port: one locale's full-text index, relevance-ranked, prefix and typo tolerant,
// stemmed for the locale's language. It stores what ranking and filtering need (slug, title,
// category, revision, publishedAt), not the body: snippets come from the live items of the one
// page of hits shown, which keeps the index (what a cold start loads) a fraction of the articles'
// size. The engine behind it is an adapter (functions/knowledge/minisearch-engine.ts); its
// serialised form is what the indexer stores and a cold start loads.

/** How much of a body's text a snippet looks through for its best match. */
export const SNIPPET_SOURCE_CHARS = 20_000;

/** Word boundaries: spaces and punctuation (as the engine tokenises). */
export const WORD_SEPARATOR = /[\n\r\p{Z}\p{P}]+/u;

export interface IndexedArticle {
  readonly id: string;
  readonly slug: string;
  readonly title: string;
  readonly locale: string;
  readonly category: string | null;
  readonly tags: string;
  readonly revision: number;
  readonly publishedAt: string;
  /** The body as plain text (the sanitised HTML without its tags): indexed, not stored. */
  readonly text: string;
}

export type StoredFields = Omit<IndexedArticle, 'tags' | 'text'>;

export interface RawHit {
  readonly fields: StoredFields;
  readonly score: number;
  /** The index terms the query matched (after stemming), for highlighting. */
  readonly terms: readonly string[];
}

export interface LocaleIndex {
  readonly locale: string;
  readonly size: number;
  /** The term a word becomes in this index (lower case, stemmed): snippets mark words by it. */
  process(word: string): string | null;
  /** The revision indexed for an article, if any. */
  revisionOf(id: string): number | undefined;
  /** Adds or replaces an article; false when that revision (or a newer one) is already in. */
  upsert(r: ArticleRevision): boolean;
  /** Removes an article; false when it was not in. */
  remove(id: string): boolean;
  serialise(): Promise<string>;
  /** Every article matching `q`, best first; with `accept`, only the articles it accepts. */
  search(q: string, accept?: (fields: StoredFields) => boolean): RawHit[];
  /** Every article (with `accept`, the ones it accepts), in no particular order. */
  all(accept?: (fields: StoredFields) => boolean): StoredFields[];
}

export interface IndexEngine {
  /** Names the serialised form: a stored index of another format is rebuilt, never loaded. */
  readonly format: string;
  empty(locale: string): LocaleIndex;
  of(locale: string, articles: readonly ArticleRevision[]): LocaleIndex;
  load(locale: string, json: string): LocaleIndex;
}

/** HTML to the plain text a reader sees (the HTML was sanitised when it was published). */
export function plainText(html: string): string {
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

export function toIndexed(r: ArticleRevision): IndexedArticle {
  return {
    id: r.articleId,
    slug: r.slug,
    title: r.title,
    locale: r.locale,
    category: r.category,
    tags: r.tags.join(' '),
    revision: r.revision,
    publishedAt: r.publishedAt,
    text: plainText(r.html),
  };
}
