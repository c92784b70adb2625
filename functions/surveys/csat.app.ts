import { SURVEY_ROUTES } from '#infra/routes.ts';
import type { Clock, IdGenerator } from '#domain/shared/ports.ts';
import { httpApp } from '../shared/http-app.ts';
import { notBuilt } from '../shared/not-built.ts';

export interface CsatPorts {
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

/** The csat Lambda's handler: the public answer page and form, and the CSAT report. */
export function csatHandler(ports: CsatPorts) {
  return httpApp(
    SURVEY_ROUTES,
    {
      'GET /csat': notBuilt,
      'POST /csat': notBuilt,
      'GET /reports/csat': notBuilt,
    },
    ports,
  );
}
