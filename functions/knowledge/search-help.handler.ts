import { DEFAULT_PAGE_SIZE } from '../shared/query.ts';
import type { RouteHandler } from '../shared/http-app.ts';
import { json, queryParams } from '../shared/request.ts';
import { HelpSearchQuery } from './knowledge.http.ts';
import type { HelpApp } from './knowledge.composition.ts';
import { decodeOffset, encodeOffset, searchCursorName } from './search-cursor.ts';

/** GET /help/articles?q=&locale=&category=: ranked hits (or the newest), paged by an opaque cursor. */
export const searchHelpHandler: RouteHandler<HelpApp> = async (request, app) => {
  const query = queryParams(request, HelpSearchQuery);
  const name = searchCursorName(query);
  const offset = decodeOffset(name, query.cursor);
  const limit = query.limit ?? DEFAULT_PAGE_SIZE;
  const page = await app.help.search({ q: query.q, locale: query.locale, category: query.category, offset, limit, baseUrl: request.baseUrl });
  return json(200, { items: page.hits, nextCursor: page.more ? encodeOffset(name, offset + limit) : null });
};
