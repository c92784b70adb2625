import type { RouteHandler } from '../shared/http-app.ts';
import { queryParams } from '../shared/request.ts';
import { helpCentrePage } from './help-pages.ts';
import { HelpCentreQuery } from './knowledge.http.ts';
import type { HelpApp } from './knowledge.composition.ts';

const PAGE_HITS = 20;

/** GET /help: the help centre page (search box, categories, results or the newest articles). */
export const helpCentreHandler: RouteHandler<HelpApp> = async (request, app) => {
  const { q, locale, category } = queryParams(request, HelpCentreQuery);
  const [page, tree] = await Promise.all([app.help.search({ q, locale, category, offset: 0, limit: PAGE_HITS, baseUrl: request.baseUrl }), app.help.categories()]);
  return helpCentrePage({ q: q ?? '', locale, category, hits: page.hits, tree });
};
