import type { HelpArticle } from '#domain/knowledge/article.schema.ts';
import { ArticleNotPublishedError, articleUrl } from '#domain/knowledge/help.use-cases.ts';
import type { HttpRequest, RouteHandler } from '../shared/http-app.ts';
import { json } from '../shared/request.ts';
import { articlePage } from './help-pages.ts';
import type { HelpApp } from './knowledge.composition.ts';
import { pathIdOr404 } from './knowledge.http.ts';

/** Whether the client ranks text/html above JSON (a browser following a link does). */
export function prefersHtml(request: HttpRequest): boolean {
  const ranked = (request.headers.accept ?? '')
    .split(',')
    .map((part, order) => {
      const [type, ...params] = part.trim().toLowerCase().split(';');
      const q = Number(params.map((p) => p.trim()).find((p) => p.startsWith('q='))?.slice(2) ?? '1');
      return { type: type!.trim(), q: Number.isFinite(q) ? q : 0, order };
    })
    .filter((m) => m.q > 0 && (m.type === 'text/html' || m.type === 'application/json'))
    .sort((a, b) => b.q - a.q || a.order - b.order);
  return ranked[0]?.type === 'text/html';
}

/** GET /help/articles/{id or slug}: the published revision, as JSON or as its page. */
export const getHelpArticleHandler: RouteHandler<HelpApp> = async (request, app) => {
  const article = await app.help.article(pathIdOr404(request, (id) => new ArticleNotPublishedError(id)));
  if (prefersHtml(request)) return articlePage(article);
  const body: HelpArticle = {
    id: article.articleId,
    slug: article.slug,
    title: article.title,
    html: article.html,
    locale: article.locale,
    category: article.category,
    tags: article.tags,
    revision: article.revision,
    publishedAt: article.publishedAt,
    url: articleUrl(request.baseUrl, article.slug),
  };
  return json(200, body, { vary: 'Accept' });
};

/** GET /help/categories: the tree, for a help centre of one's own. */
export const helpCategoriesHandler: RouteHandler<HelpApp> = async (_request, app) => json(200, await app.help.categories());
