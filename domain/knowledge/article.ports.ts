import type { DomainEvent } from '#events/define-event.ts';
import type { Page } from '../customers/customer.repository.ts';
import type { CommandContext } from '../shared/ports.ts';
import type { ArticleChange, ArticleRecord, SlugMoves } from './article.ts';
import type { Article, ArticleRevision, ArticleStatus, CategoryTree } from './article.schema.ts';

// Ports of the knowledge authoring use cases.

/** Markdown to sanitised HTML (the adapter: markdown-it, then an allowlist sanitiser). */
export interface MarkdownRenderer {
  toHtml(markdown: string): Promise<string>;
}

export interface ArticleQuery {
  readonly limit: number;
  readonly cursor?: string | undefined;
  readonly status?: ArticleStatus | undefined;
  readonly locale?: string | undefined;
  readonly category?: string | undefined;
}

/** Why a save wrote nothing. */
export type SaveRefusal = 'slug-taken' | 'version-moved' | 'category-gone';

export interface ArticleRepository {
  /** The working copy with its feedback counts. */
  get(id: string): Promise<Article | undefined>;
  /** The copy the public reads; only while the article is published. */
  live(id: string): Promise<ArticleRevision | undefined>;
  /** Newest first; by status (newest change first), locale or category. */
  list(query: ArticleQuery): Promise<Page<Article>>;
  /** Published revisions, newest first. */
  revisions(id: string, query: { limit: number; cursor?: string | undefined }): Promise<Page<ArticleRevision>>;
  /**
   * Commits the change in one transaction: the working copy (new, or still at `previous.version`),
   * the slug pointers (reserved, released), the revision and LIVE copy (or LIVE's removal), the
   * category check and the events. With an idempotency claim used before, writes nothing and
   * answers the first call's article (`replayed`).
   */
  save(change: ArticleChange, previous: ArticleRecord | undefined, slugs: SlugMoves, context: CommandContext): Promise<{ article: ArticleRecord; replayed: boolean } | { refused: SaveRefusal }>;
  /** Deletes the article, its LIVE copy and slugs, with the events, if it is still at `previous.version`; then everything else it kept. */
  remove(previous: ArticleRecord, slugs: readonly string[], events: DomainEvent[], context: CommandContext): Promise<boolean>;
}

export interface CategoryRepository {
  /** The tree and its version (0: never written). */
  get(): Promise<{ tree: CategoryTree; version: number }>;
  /** Writes the tree if it is still at `expectedVersion`; false when it moved. */
  replace(tree: CategoryTree, expectedVersion: number): Promise<boolean>;
  /** How many articles use each of these category ids (ids no article uses are left out). */
  usage(ids: readonly string[]): Promise<Map<string, number>>;
}
