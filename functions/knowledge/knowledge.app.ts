import { KNOWLEDGE_ROUTES } from '#infra/routes.ts';
import type { Clock, IdGenerator } from '#domain/shared/ports.ts';
import { httpApp } from '../shared/http-app.ts';
import { notBuilt } from '../shared/not-built.ts';
import { articleFeedbackHandler, listArticleFeedbackHandler } from './article-feedback.handler.ts';
import { caseSuggestionsHandler } from './case-suggestions.handler.ts';
import { getHelpArticleHandler, helpCategoriesHandler } from './help-article.handler.ts';
import { helpCentreHandler } from './help-centre.handler.ts';
import type { HelpApp } from './knowledge.composition.ts';
import { searchHelpHandler } from './search-help.handler.ts';

export interface KnowledgePorts extends HelpApp {
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

/** The knowledge Lambda's handler: authoring (/kb), the public help centre (/help) and case suggestions. */
export function knowledgeHandler(ports: KnowledgePorts) {
  return httpApp(
    KNOWLEDGE_ROUTES,
    {
      'POST /kb/articles': notBuilt,
      'GET /kb/articles': notBuilt,
      'GET /kb/articles/{id}': notBuilt,
      'PATCH /kb/articles/{id}': notBuilt,
      'DELETE /kb/articles/{id}': notBuilt,
      'GET /kb/articles/{id}/versions': notBuilt,
      'GET /kb/articles/{id}/feedback': listArticleFeedbackHandler,
      'GET /kb/categories': notBuilt,
      'PUT /kb/categories': notBuilt,
      'GET /help': helpCentreHandler,
      'GET /help/articles': searchHelpHandler,
      'GET /help/articles/{id}': getHelpArticleHandler,
      'GET /help/categories': helpCategoriesHandler,
      'POST /help/articles/{id}/feedback': articleFeedbackHandler,
      'GET /cases/{id}/suggestions': caseSuggestionsHandler,
    },
    ports,
  );
}
