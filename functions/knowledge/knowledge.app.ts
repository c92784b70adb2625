import { KNOWLEDGE_ROUTES } from '#infra/routes.ts';
import type { ArticleRepository, CategoryRepository, MarkdownRenderer } from '#domain/knowledge/article.ports.ts';
import { knowledgeUseCases } from '#domain/knowledge/article.use-cases.ts';
import type { Clock, IdGenerator } from '#domain/shared/ports.ts';
import { httpApp } from '../shared/http-app.ts';
import { notBuilt } from '../shared/not-built.ts';
import { authoringHandlers } from './article.handlers.ts';
import type { AuthoringApp } from './article.http.ts';

export interface KnowledgePorts {
  readonly clock: Clock;
  readonly ids: IdGenerator;
  // Authoring (/kb): articles, revisions, slugs, categories, and the Markdown renderer.
  readonly articles: ArticleRepository;
  readonly categories: CategoryRepository;
  readonly renderer: MarkdownRenderer;
}

/** The knowledge Lambda's handler: authoring (/kb), the public help centre (/help) and case suggestions. */
export function knowledgeHandler(ports: KnowledgePorts) {
  const app: AuthoringApp = { authoring: knowledgeUseCases(ports) };
  return httpApp(
    KNOWLEDGE_ROUTES,
    {
      ...authoringHandlers,
      'GET /kb/articles/{id}/feedback': notBuilt,
      'GET /help': notBuilt,
      'GET /help/articles': notBuilt,
      'GET /help/articles/{id}': notBuilt,
      'GET /help/categories': notBuilt,
      'POST /help/articles/{id}/feedback': notBuilt,
      'GET /cases/{id}/suggestions': notBuilt,
    },
    app,
  );
}
