import { SURVEY_ROUTES } from '#infra/routes.ts';
import { csatUseCases, type CsatDeps } from '#domain/surveys/csat.use-cases.ts';
import { httpApp } from '../shared/http-app.ts';
import { csatPageHandler, submitCsatHandler } from './csat-page.handler.ts';
import { csatReportHandler } from './csat-report.handler.ts';

/** The csat Lambda's handler: the public answer page and form, and the CSAT report. */
export function csatHandler(deps: CsatDeps) {
  return httpApp(
    SURVEY_ROUTES,
    {
      'GET /csat': csatPageHandler,
      'POST /csat': submitCsatHandler,
      'GET /reports/csat': csatReportHandler,
    },
    { csat: csatUseCases(deps) },
  );
}
