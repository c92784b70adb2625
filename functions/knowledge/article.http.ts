import { ArticleNotFoundError } from '#domain/knowledge/article.ts';
import type { Article } from '#domain/knowledge/article.schema.ts';
import type { KnowledgeUseCases } from '#domain/knowledge/article.use-cases.ts';
import type { Actor } from '#domain/shared/ports.ts';
import type { ApiResult, HttpRequest } from '../shared/http-app.ts';
import { PathId } from '../shared/query.ts';
import { etag, idempotencyClaim, json } from '../shared/request.ts';

// Path parameters, callers and responses of the authoring routes (/kb).

export interface AuthoringApp {
  readonly authoring: KnowledgeUseCases;
}

export function articleIdParam(request: HttpRequest): string {
  const id = request.params.id ?? '';
  if (!PathId.safeParse(id).success) throw new ArticleNotFoundError(id);
  return id;
}

export const actorOf = (request: HttpRequest): Actor => ({ id: request.principal?.sub ?? 'unknown', roles: request.principal?.roles ?? [] });

export function contextOf(request: HttpRequest, path?: string) {
  const idempotency = path ? idempotencyClaim(request, path) : undefined;
  return { correlationId: request.correlationId, ...(idempotency ? { idempotency } : {}) };
}

export function articleResponse(status: 200 | 201, article: Article): ApiResult {
  return json(status, article, { etag: etag(article.version), ...(status === 201 ? { location: `/kb/articles/${encodeURIComponent(article.id)}` } : {}) });
}
