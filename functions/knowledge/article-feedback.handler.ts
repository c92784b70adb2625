import { FeedbackInput } from '#domain/knowledge/article.schema.ts';
import { ArticleNotPublishedError } from '#domain/knowledge/help.use-cases.ts';
import { NotFoundError } from '#domain/shared/errors.ts';
import { DEFAULT_PAGE_SIZE } from '../shared/query.ts';
import type { RouteHandler } from '../shared/http-app.ts';
import { rateClient, rateLimited } from '../shared/rate-limit.ts';
import { json, jsonBody, queryParams } from '../shared/request.ts';
import { PageQuery, pathIdOr404 } from './knowledge.http.ts';
import type { HelpApp } from './knowledge.composition.ts';

/**
 * POST /help/articles/{id or slug}/feedback (public). Only valid feedback on a published article
 * counts against the reader's limit: a malformed request changes nothing and costs nothing.
 */
export const articleFeedbackHandler: RouteHandler<HelpApp> = async (request, app) => {
  const input = jsonBody(request, FeedbackInput);
  const idOrSlug = pathIdOr404(request, (id) => new ArticleNotPublishedError(id));
  const article = await app.help.article(idOrSlug);
  const verdict = await app.feedbackLimit.take(rateClient(request));
  if (!verdict.allowed) return rateLimited(verdict.retryAfterSeconds);
  await app.help.feedback(article, input);
  return json(202, { received: true });
};

/** GET /kb/articles/{id}/feedback (staff): readers' feedback newest first. */
export const listArticleFeedbackHandler: RouteHandler<HelpApp> = async (request, app) => {
  const { limit, cursor } = queryParams(request, PageQuery);
  const id = pathIdOr404(request, (bad) => new NotFoundError(`No article with id ${bad}.`));
  return json(200, await app.feedbackPage(id, limit ?? DEFAULT_PAGE_SIZE, cursor));
};
