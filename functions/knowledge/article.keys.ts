import type { Article, ArticleFeedback, ArticleRevision, CategoryTree } from '#domain/knowledge/article.schema.ts';
import { TABLE } from '#infra/table.ts';

// Keys and item mappers for the knowledge context (pure; no I/O). The authoring side writes these
// items; the help centre, the search indexer and case suggestions read them.
//   article          pk ARTICLE#<id>            sk ARTICLE                  the working copy (data: Article without feedback), version;
//                                                                          gsi1 ARTICLES / <createdAt>#<id>; gsi4 ARTICLE_STATUS#<status> / <updatedAt>#<id>
//   feedback counts  pk ARTICLE#<id>            sk COUNTS                   helpful, notHelpful (ADD; apart from the article, so a
//                                                                          write of the working copy never loses a count)
//   feedback         pk ARTICLE#<id>            sk FEEDBACK#<at>#<id>       data: ArticleFeedback (no reader identity)
//   live revision    pk ARTICLE#<id>            sk LIVE                     data: ArticleRevision the public reads; only while published;
//                                                                          gsi1 HELP#<locale> / <publishedAt>#<id> (a locale's published articles, newest first)
//   revision         pk ARTICLE#<id>            sk REV#<revision, 6 digits> data: ArticleRevision, kept for good (newest = live)
//   slug             pk ARTICLE_SLUG#<slug>     sk ARTICLE_SLUG             articleId (a slug is unique: conditional put)
//   categories       pk KB                      sk CATEGORIES               data: CategoryTree, version
// The search index of a locale lives in items of its own (functions/knowledge/search-index.keys.ts).

const BY_CREATED = TABLE.indexes.byCreatedAt;
const BY_STATUS = TABLE.indexes.byStatus;

export const ALL_ARTICLES = 'ARTICLES';
export const FEEDBACK_PREFIX = 'FEEDBACK#';
export const REVISION_PREFIX = 'REV#';

export const articlePartition = (id: string) => `ARTICLE#${id}`;
export const articleKey = (id: string) => ({ pk: articlePartition(id), sk: 'ARTICLE' });
export const countsKey = (id: string) => ({ pk: articlePartition(id), sk: 'COUNTS' });
export const feedbackKey = (f: Pick<ArticleFeedback, 'articleId' | 'at' | 'id'>) => ({ pk: articlePartition(f.articleId), sk: `${FEEDBACK_PREFIX}${f.at}#${f.id}` });
export const liveKey = (id: string) => ({ pk: articlePartition(id), sk: 'LIVE' });
export const revisionKey = (id: string, revision: number) => ({ pk: articlePartition(id), sk: `${REVISION_PREFIX}${String(revision).padStart(6, '0')}` });
export const slugKey = (slug: string) => ({ pk: `ARTICLE_SLUG#${slug}`, sk: 'ARTICLE_SLUG' });
export const CATEGORIES_KEY = { pk: 'KB', sk: 'CATEGORIES' } as const;
/** The partition of a locale's published articles in the by-created-at index. */
export const livePartition = (locale: string) => `HELP#${locale}`;

export type StoredArticle = Omit<Article, 'feedback'>;

export function toArticleItem(a: StoredArticle): Record<string, unknown> {
  return {
    ...articleKey(a.id),
    type: 'Article',
    [BY_CREATED.partitionKey]: ALL_ARTICLES,
    [BY_CREATED.sortKey]: `${a.createdAt}#${a.id}`,
    [BY_STATUS.partitionKey]: `ARTICLE_STATUS#${a.status}`,
    [BY_STATUS.sortKey]: `${a.updatedAt}#${a.id}`,
    data: a,
    version: a.version,
  };
}

export const fromArticleItem = (item: Record<string, unknown>): StoredArticle => item.data as StoredArticle;

export function toRevisionItem(r: ArticleRevision): Record<string, unknown> {
  return { ...revisionKey(r.articleId, r.revision), type: 'ArticleRevision', data: r };
}

export function toLiveItem(r: ArticleRevision): Record<string, unknown> {
  return {
    ...liveKey(r.articleId),
    type: 'LiveArticle',
    [BY_CREATED.partitionKey]: livePartition(r.locale),
    [BY_CREATED.sortKey]: `${r.publishedAt}#${r.articleId}`,
    data: r,
    revision: r.revision,
  };
}

export const fromRevisionItem = (item: Record<string, unknown>): ArticleRevision => item.data as ArticleRevision;

export function toSlugItem(slug: string, articleId: string): Record<string, unknown> {
  return { ...slugKey(slug), type: 'ArticleSlug', articleId };
}

export function toFeedbackItem(f: ArticleFeedback): Record<string, unknown> {
  return { ...feedbackKey(f), type: 'ArticleFeedback', data: f };
}

export const fromFeedbackItem = (item: Record<string, unknown>): ArticleFeedback => item.data as ArticleFeedback;

export const fromCountsItem = (item: Record<string, unknown> | undefined) => ({
  helpful: Number(item?.helpful ?? 0),
  notHelpful: Number(item?.notHelpful ?? 0),
});

export function toCategoriesItem(tree: CategoryTree, version: number): Record<string, unknown> {
  return { ...CATEGORIES_KEY, type: 'Categories', data: tree, version };
}

export const fromCategoriesItem = (item: Record<string, unknown> | undefined): CategoryTree => (item?.data as CategoryTree | undefined) ?? { categories: [] };
