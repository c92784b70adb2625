import { CASE_WORK, KB_PUBLISH, KB_WRITE, type RouteSpec, STAFF_READ } from '../route-access.ts';

// The knowledge function's routes: its composition imports this list and no other, so its bundle holds
// only its own routes; infra/routes.ts joins every list into ROUTE_TABLE (test/infra/route-lists.test.ts).

export const KNOWLEDGE_ROUTES = [
  { method: 'POST', path: '/kb/articles', function: 'knowledge', operationId: 'createArticle', access: KB_WRITE, idempotent: true },
  { method: 'GET', path: '/kb/articles', function: 'knowledge', operationId: 'listArticles', access: STAFF_READ },
  { method: 'GET', path: '/kb/articles/{id}', function: 'knowledge', operationId: 'getArticle', access: STAFF_READ },
  { method: 'PATCH', path: '/kb/articles/{id}', function: 'knowledge', operationId: 'patchArticle', access: KB_WRITE, bodyTypes: ['application/merge-patch+json'] },
  { method: 'DELETE', path: '/kb/articles/{id}', function: 'knowledge', operationId: 'deleteArticle', access: KB_WRITE },
  { method: 'GET', path: '/kb/articles/{id}/versions', function: 'knowledge', operationId: 'listArticleVersions', access: STAFF_READ },
  { method: 'GET', path: '/kb/articles/{id}/feedback', function: 'knowledge', operationId: 'listArticleFeedback', access: STAFF_READ },
  { method: 'GET', path: '/kb/categories', function: 'knowledge', operationId: 'getCategories', access: STAFF_READ },
  { method: 'PUT', path: '/kb/categories', function: 'knowledge', operationId: 'putCategories', access: KB_PUBLISH },
  { method: 'GET', path: '/help', function: 'knowledge', operationId: 'helpCentre', access: 'public' },
  { method: 'GET', path: '/help/articles', function: 'knowledge', operationId: 'searchHelp', access: 'public' },
  { method: 'GET', path: '/help/articles/{id}', function: 'knowledge', operationId: 'getHelpArticle', access: 'public' },
  { method: 'GET', path: '/help/categories', function: 'knowledge', operationId: 'listHelpCategories', access: 'public' },
  { method: 'POST', path: '/help/articles/{id}/feedback', function: 'knowledge', operationId: 'articleFeedback', access: 'public' },
  { method: 'GET', path: '/cases/{id}/suggestions', function: 'knowledge', operationId: 'caseSuggestions', access: CASE_WORK },
] as const satisfies readonly RouteSpec[];
