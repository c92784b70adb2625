import { type RouteKey } from '#infra/route-access.ts';
import { KNOWLEDGE_ROUTES } from '#infra/route-lists/knowledge.route-list.ts';
import type { ArticleRepository, CategoryRepository, MarkdownRenderer } from '#domain/knowledge/article.ports.ts';
import type { Clock, IdGenerator } from '#domain/shared/ports.ts';
import { httpApp, type RouteHandler } from '../shared/http-app.ts';
import { lazyPort, lazyRoutes } from '../shared/lazy.ts';
import type { AuthoringApp } from './article.http.ts';
import type { HelpApp } from './knowledge.composition.ts';

export interface KnowledgePorts extends HelpApp {
  readonly clock: Clock;
  readonly ids: IdGenerator;
  // Authoring (/kb): articles, revisions, slugs, categories, and the Markdown renderer.
  readonly articles: ArticleRepository;
  readonly categories: CategoryRepository;
  readonly renderer: MarkdownRenderer;
}

type Handler = RouteHandler<AuthoringApp & HelpApp>;

// The function's routes by area: an area's handlers (and, through its ports, its use cases and
// adapters) load on the first request to one of its routes, so a cold start compiles only the
// HTTP app and the route table. Searching (the search engine and its stemmers) loads apart from
// reading one article, and neither loads the authoring side.
const AUTHORING = ['POST /kb/articles', 'GET /kb/articles', 'GET /kb/articles/{id}', 'PATCH /kb/articles/{id}', 'DELETE /kb/articles/{id}', 'GET /kb/articles/{id}/versions', 'GET /kb/categories', 'PUT /kb/categories'] as const satisfies readonly RouteKey[];
const READING = ['GET /help/articles/{id}', 'GET /help/categories'] as const satisfies readonly RouteKey[];
const SEARCH = ['GET /help', 'GET /help/articles', 'GET /cases/{id}/suggestions'] as const satisfies readonly RouteKey[];
const FEEDBACK = ['POST /help/articles/{id}/feedback', 'GET /kb/articles/{id}/feedback'] as const satisfies readonly RouteKey[];

type Area<K extends readonly RouteKey[]> = Record<K[number], Handler>;

/** The knowledge Lambda's handler: authoring (/kb), the public help centre (/help) and case suggestions. */
export function knowledgeHandler(ports: KnowledgePorts) {
  const app: AuthoringApp & HelpApp = {
    // The authoring use cases (the article rules and schemas) are built on the first /kb request.
    authoring: lazyPort(async () => (await import('#domain/knowledge/article.use-cases.ts')).knowledgeUseCases(ports)),
    help: ports.help,
    feedbackLimit: ports.feedbackLimit,
    feedbackPage: ports.feedbackPage,
  };
  return httpApp<AuthoringApp & HelpApp>(
    KNOWLEDGE_ROUTES,
    {
      ...lazyRoutes(AUTHORING, async (): Promise<Area<typeof AUTHORING>> => (await import('./article.handlers.ts')).authoringHandlers),
      ...lazyRoutes(READING, async (): Promise<Area<typeof READING>> => {
        const { getHelpArticleHandler, helpCategoriesHandler } = await import('./help-article.handler.ts');
        return { 'GET /help/articles/{id}': getHelpArticleHandler, 'GET /help/categories': helpCategoriesHandler };
      }),
      ...lazyRoutes(SEARCH, async (): Promise<Area<typeof SEARCH>> => {
        const [centre, search, suggestions] = await Promise.all([import('./help-centre.handler.ts'), import('./search-help.handler.ts'), import('./case-suggestions.handler.ts')]);
        return { 'GET /help': centre.helpCentreHandler, 'GET /help/articles': search.searchHelpHandler, 'GET /cases/{id}/suggestions': suggestions.caseSuggestionsHandler };
      }),
      ...lazyRoutes(FEEDBACK, async (): Promise<Area<typeof FEEDBACK>> => {
        const { articleFeedbackHandler, listArticleFeedbackHandler } = await import('./article-feedback.handler.ts');
        return { 'POST /help/articles/{id}/feedback': articleFeedbackHandler, 'GET /kb/articles/{id}/feedback': listArticleFeedbackHandler };
      }),
    },
    app,
  );
}
