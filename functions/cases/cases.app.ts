import { CASE_ROUTES } from '#infra/route-lists/cases.route-list.ts';
import type { PublishedArticles } from '#domain/cases/article-links.ts';
import type { CaseRepository } from '#domain/cases/case.repository.ts';
import type { Clock, IdGenerator } from '#domain/shared/ports.ts';
import { httpApp } from '../shared/http-app.ts';
import { lazyRoutes } from '../shared/lazy.ts';

export interface CasesPorts {
  readonly cases: CaseRepository;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** Published knowledge-base articles, for links on comments (issue 11). */
  readonly articles: PublishedArticles;
}

/**
 * The cases Lambda's handler. Its routes come in areas, each a module of handlers and the use
 * cases they call, loaded by the first request of one of its routes (its own chunk of the
 * bundle): a cold start compiles none of them (issue 14).
 */
export function casesHandler(ports: CasesPorts) {
  return httpApp(
    CASE_ROUTES,
    {
      ...lazyRoutes(
        ['POST /cases', 'GET /cases', 'GET /cases/{id}', 'PATCH /cases/{id}', 'POST /cases/{id}/comments', 'GET /cases/{id}/comments', 'POST /cases/{id}/assign'],
        async () => (await import('./staff-cases.routes.ts')).staffCaseRoutes(ports),
      ),
      ...lazyRoutes(
        ['GET /me/cases', 'POST /me/cases', 'GET /me/cases/{id}', 'GET /me/cases/{id}/comments', 'POST /me/cases/{id}/comments', 'POST /me/cases/{id}/close'],
        async () => (await import('./my-cases.routes.ts')).myCaseRoutes(ports),
      ),
      ...lazyRoutes(
        ['PUT /queues/{name}', 'GET /queues/{name}', 'GET /sla-policy', 'PUT /sla-policy', 'GET /reports/sla'],
        async () => (await import('./desk-settings.routes.ts')).deskSettingsRoutes(ports),
      ),
    },
    undefined,
  );
}
