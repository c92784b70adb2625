import * as z from '#domain/shared/zod.ts';
import { Article, ArticleFeedback, ArticleInput, ArticlePatch, ArticleRevision, CategoryTree, FeedbackInput, HelpArticle, SearchHit } from '#domain/knowledge/article.schema.ts';
import { ArticleListQuery, HelpCentreQuery, HelpSearchQuery, PageQuery, SuggestionQuery } from '#functions/knowledge/knowledge.http.ts';
import type { KNOWLEDGE_ROUTES } from '../routes.ts';
import type { RouteSchemas } from '../topology.ts';
import { pageOf } from './page.ts';

type OperationId = (typeof KNOWLEDGE_ROUTES)[number]['operationId'];

/** The knowledge routes' request and response schemas (issue 11). */
export const KNOWLEDGE_ROUTE_SCHEMAS: Record<OperationId, RouteSchemas> = {
  createArticle: {
    summary: 'Write an article (Markdown); admins and managers may create it published',
    body: ArticleInput,
    responses: {
      201: { description: 'Created', schema: Article, etag: true, location: true },
      409: { description: 'The slug is taken' },
    },
  },
  listArticles: {
    summary: 'Articles newest first, by status, locale or category',
    query: ArticleListQuery,
    responses: { 200: { description: 'A page of articles', schema: pageOf(Article) } },
  },
  getArticle: {
    summary: 'Read an article: the working copy, its rendered HTML and where publishing stands',
    responses: { 200: { description: 'The article', schema: Article, etag: true } },
  },
  patchArticle: {
    summary: 'Change an article (JSON merge patch); status published (publish the working copy) and archived are for admins and managers',
    body: ArticlePatch,
    responses: {
      200: { description: 'The updated article', schema: Article, etag: true },
      409: { description: 'The slug is taken, or the status move is not possible' },
      412: { description: 'If-Match is stale' },
    },
  },
  deleteArticle: {
    summary: 'Delete an article; one that was ever published only by admins and managers (it leaves the help centre and the index)',
    responses: { 204: { description: 'Deleted' }, 412: { description: 'If-Match is stale' } },
  },
  listArticleVersions: {
    summary: "An article's published revisions, newest first",
    query: PageQuery,
    responses: { 200: { description: 'A page of revisions', schema: pageOf(ArticleRevision) } },
  },
  listArticleFeedback: {
    summary: "Readers' feedback on an article, newest first",
    query: PageQuery,
    responses: { 200: { description: 'A page of feedback', schema: pageOf(ArticleFeedback) } },
  },
  getCategories: {
    summary: 'The category tree',
    responses: { 200: { description: 'The tree', schema: CategoryTree } },
  },
  putCategories: {
    summary: 'Replace the category tree (ids unique, at most 3 levels)',
    body: CategoryTree,
    responses: { 200: { description: 'The tree', schema: CategoryTree }, 409: { description: 'A category that articles use would disappear' } },
  },
  helpCentre: {
    summary: 'The help centre: an accessible HTML page with a search box, categories and results',
    query: HelpCentreQuery,
    responses: { 200: { description: 'The page', html: true } },
  },
  searchHelp: {
    summary: 'Search published articles (relevance-ranked, prefix and typo tolerant, snippets with <mark>); without q, the newest',
    query: HelpSearchQuery,
    responses: { 200: { description: 'A page of hits', schema: pageOf(SearchHit) } },
  },
  getHelpArticle: {
    summary: 'A published article by id or slug: JSON, or its HTML page when the client asks for text/html',
    responses: {
      200: { description: 'The article', schema: HelpArticle, alsoHtml: true },
      404: { description: 'No published article of that id or slug' },
    },
  },
  listHelpCategories: {
    summary: 'The category tree, for a help centre of your own',
    responses: { 200: { description: 'The tree', schema: CategoryTree } },
  },
  articleFeedback: {
    summary: 'Was this article helpful? (rate-limited per address or token; nothing personal is kept)',
    body: FeedbackInput,
    responses: {
      202: { description: 'Recorded', schema: z.object({ received: z.literal(true) }) },
      404: { description: 'No published article of that id or slug' },
      429: { description: 'Too much feedback from here: retry after Retry-After seconds' },
    },
  },
  caseSuggestions: {
    summary: "Published articles that best match the case's subject and description",
    query: SuggestionQuery,
    responses: { 200: { description: 'Hits, best first', schema: pageOf(SearchHit) } },
  },
};
