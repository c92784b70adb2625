import { SURVEY_ROUTES } from '#infra/route-lists/csat.route-list.ts';
import type { CsatDeps } from '#domain/surveys/csat.use-cases.ts';
import { httpApp } from '../shared/http-app.ts';
import { lazyPort, lazyRoutes } from '../shared/lazy.ts';
import type { CsatApp } from './csat.http.ts';

// By area, each loaded by its first request (functions/shared/lazy.ts): the public answer page and
// form, and the report; the use cases with the first request of either.

/** The csat Lambda's handler: the public answer page and form, and the CSAT report. */
export function csatHandler(deps: CsatDeps) {
  const app: CsatApp = { csat: lazyPort(async () => (await import('#domain/surveys/csat.use-cases.ts')).csatUseCases(deps)) };
  return httpApp(
    SURVEY_ROUTES,
    {
      ...lazyRoutes(['GET /csat', 'POST /csat'], async () => {
        const { csatPageHandler, submitCsatHandler } = await import('./csat-page.handler.ts');
        return { 'GET /csat': csatPageHandler, 'POST /csat': submitCsatHandler };
      }),
      ...lazyRoutes(['GET /reports/csat'], async () => ({ 'GET /reports/csat': (await import('./csat-report.handler.ts')).csatReportHandler })),
    },
    app,
  );
}
