import { CaseNotFoundError } from '#domain/shared/errors.ts';
import type { RouteHandler } from '../shared/http-app.ts';
import { json, queryParams } from '../shared/request.ts';
import { pathIdOr404, SuggestionQuery } from './knowledge.http.ts';
import type { HelpApp } from './knowledge.composition.ts';

export const DEFAULT_SUGGESTIONS = 5;

/** GET /cases/{id}/suggestions: the published articles that best match the case (one page, best first). */
export const caseSuggestionsHandler: RouteHandler<HelpApp> = async (request, app) => {
  const { limit } = queryParams(request, SuggestionQuery);
  const hits = await app.help.suggestions(pathIdOr404(request, (id) => new CaseNotFoundError(id)), limit ?? DEFAULT_SUGGESTIONS, request.baseUrl);
  return json(200, { items: hits, nextCursor: null });
};
