import { ArticleInput, ArticlePatch, CategoryTree } from '#domain/knowledge/article.schema.ts';
import type { RouteHandler } from '../shared/http-app.ts';
import { DEFAULT_PAGE_SIZE } from '../shared/query.ts';
import { ifMatchVersion, json, jsonBody, noContent, queryParams } from '../shared/request.ts';
import { actorOf, articleIdParam, articleResponse, type AuthoringApp, contextOf } from './article.http.ts';
import { ArticleListQuery, PageQuery } from './knowledge.http.ts';

// The authoring routes (/kb): staff write, publish and organise articles.

type Handler = RouteHandler<AuthoringApp>;
const READ_ONLY = ['id', 'html', 'publishedRevision', 'publishedAt', 'hasUnpublishedChanges', 'authorId', 'updatedBy', 'createdAt', 'updatedAt', 'feedback', 'version'];

const createArticle: Handler = async (request, app) => {
  const input = jsonBody(request, ArticleInput, READ_ONLY);
  return articleResponse(201, await app.authoring.create(input, actorOf(request), contextOf(request, '/kb/articles')));
};

const listArticles: Handler = async (request, app) => {
  const { limit, ...filters } = queryParams(request, ArticleListQuery);
  return json(200, await app.authoring.list({ limit: limit ?? DEFAULT_PAGE_SIZE, ...filters }));
};

const getArticle: Handler = async (request, app) => articleResponse(200, await app.authoring.get(articleIdParam(request)));

const patchArticle: Handler = async (request, app) => {
  const id = articleIdParam(request);
  const ifMatch = ifMatchVersion(request);
  const patch = jsonBody(request, ArticlePatch, READ_ONLY);
  return articleResponse(200, await app.authoring.patch(id, patch, ifMatch, actorOf(request), contextOf(request)));
};

const deleteArticle: Handler = async (request, app) => {
  const id = articleIdParam(request);
  await app.authoring.remove(id, ifMatchVersion(request), actorOf(request), contextOf(request));
  return noContent();
};

const listVersions: Handler = async (request, app) => {
  const id = articleIdParam(request);
  const { limit, cursor } = queryParams(request, PageQuery);
  return json(200, await app.authoring.versions(id, { limit: limit ?? DEFAULT_PAGE_SIZE, cursor }));
};

const getCategories: Handler = async (_request, app) => json(200, await app.authoring.categories());

const putCategories: Handler = async (request, app) => json(200, await app.authoring.putCategories(jsonBody(request, CategoryTree)));

export const authoringHandlers = {
  'POST /kb/articles': createArticle,
  'GET /kb/articles': listArticles,
  'GET /kb/articles/{id}': getArticle,
  'PATCH /kb/articles/{id}': patchArticle,
  'DELETE /kb/articles/{id}': deleteArticle,
  'GET /kb/articles/{id}/versions': listVersions,
  'GET /kb/categories': getCategories,
  'PUT /kb/categories': putCategories,
} satisfies Record<string, Handler>;
