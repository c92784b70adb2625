import { KNOWLEDGE_ROUTES } from '#infra/routes.ts';
import type { Clock, IdGenerator } from '#domain/shared/ports.ts';
import { httpApp } from '../shared/http-app.ts';
import { notBuilt } from '../shared/not-built.ts';

export interface KnowledgePorts {
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
      'GET /kb/articles/{id}/feedback': notBuilt,
      'GET /kb/categories': notBuilt,
      'PUT /kb/categories': notBuilt,
      'GET /help': notBuilt,
      'GET /help/articles': notBuilt,
      'GET /help/articles/{id}': notBuilt,
      'GET /help/categories': notBuilt,
      'POST /help/articles/{id}/feedback': notBuilt,
      'GET /cases/{id}/suggestions': notBuilt,
    },
    ports,
  );
}
