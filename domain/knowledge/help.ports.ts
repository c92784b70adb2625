import type { ArticleFeedback, ArticleRevision, CategoryTree } from './article.schema.ts';
import type { LocaleIndex } from './search-index.ts';

// Ports of the help centre, the search indexer and case suggestions (adapters in functions/knowledge).

/** The published side of the knowledge base, as the authoring side wrote it (read only). */
export interface LiveArticles {
  byId(id: string): Promise<ArticleRevision | undefined>;
  bySlug(slug: string): Promise<ArticleRevision | undefined>;
  /** The live revisions of these articles (one request for a page of hits); absent ones are not published. */
  manyById(ids: readonly string[]): Promise<Map<string, ArticleRevision>>;
  /** Every published article of a locale (a full rebuild of its index). */
  ofLocale(locale: string): Promise<ArticleRevision[]>;
  categories(): Promise<CategoryTree>;
}

/** The current index of every locale that has one, fresh within seconds of a publish. */
export interface SearchIndexes {
  current(): Promise<ReadonlyMap<string, LocaleIndex>>;
}

/** What the head of a locale's stored index says. */
export interface IndexHead {
  readonly locale: string;
  readonly generation: number;
  readonly format: string;
  /** Names the chunk set of this generation (each writer's chunks are its own). */
  readonly chunkSet: string;
  readonly chunks: number;
  readonly articles: number;
  readonly bytes: number;
  readonly updatedAt: string;
}

/** The stored, serialised index of each locale. */
export interface IndexStore {
  heads(): Promise<IndexHead[]>;
  head(locale: string): Promise<IndexHead | undefined>;
  /** The serialised index a head names; undefined when its chunks are gone or incomplete. */
  load(head: IndexHead): Promise<string | undefined>;
  /** Stores a new generation; 'conflict' when the head moved since `previous` (nothing is lost: retry). */
  save(locale: string, json: string, articles: number, previous: IndexHead | undefined): Promise<'saved' | 'conflict'>;
}

export interface FeedbackStore {
  /** Counts the vote and keeps the feedback, in one transaction. */
  record(feedback: ArticleFeedback): Promise<void>;
}

/** What a case says, for suggestions. */
export interface CaseText {
  readonly subject: string;
  readonly description: string | null;
  /** The customer's locale, when the profile names one. */
  readonly locale: string | null;
}

export interface CaseTexts {
  read(caseId: string): Promise<CaseText | undefined>;
}
