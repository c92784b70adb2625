import { KNOWLEDGE_ROUTES } from '#infra/routes.ts';
import type { ArticleRepository, CategoryRepository, MarkdownRenderer } from '#domain/knowledge/article.ports.ts';
import { knowledgeUseCases } from '#domain/knowledge/article.use-cases.ts';
import type { Clock, IdGenerator } from '#domain/shared/ports.ts';
import { httpApp } from '../shared/http-app.ts';
import { authoringHandlers } from './article.handlers.ts';
import type { AuthoringApp } from './article.http.ts';
import { articleFeedbackHandler, listArticleFeedbackHandler } from './article-feedback.handler.ts';
import { caseSuggestionsHandler } from './case-suggestions.handler.ts';
import { getHelpArticleHandler, helpCategoriesHandler } from './help-article.handler.ts';
import { helpCentreHandler } from './help-centre.handler.ts';
import type { HelpApp } from './knowledge.composition.ts';
import { searchHelpHandler } from './search-help.handler.ts';

export interface KnowledgePorts extends HelpApp {
  readonly clock: Clock;
  readonly ids: IdGenerator;
  // Authoring (/kb): articles, revisions, slugs, categories, and the Markdown renderer.
  readonly articles: ArticleRepository;
  readonly categories: CategoryRepository;
  readonly renderer: MarkdownRenderer;
}

/** The knowledge Lambda's handler: authoring (/kb), the public help centre (/help) and case suggestions. */
export function knowledgeHandler(ports: KnowledgePorts) {
  const app: AuthoringApp & HelpApp = {
    authoring: knowledgeUseCases(ports),
    help: ports.help,
    feedbackLimit: ports.feedbackLimit,
    feedbackPage: ports.feedbackPage,
  };
  return httpApp<AuthoringApp & HelpApp>(
    KNOWLEDGE_ROUTES,
    {
      ...authoringHandlers,
      'GET /kb/articles/{id}/feedback': listArticleFeedbackHandler,
      'GET /help': helpCentreHandler,
      'GET /help/articles': searchHelpHandler,
      'GET /help/articles/{id}': getHelpArticleHandler,
      'GET /help/categories': helpCategoriesHandler,
      'POST /help/articles/{id}/feedback': articleFeedbackHandler,
      'GET /cases/{id}/suggestions': caseSuggestionsHandler,
    },
    app,
  );
}
