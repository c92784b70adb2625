import { CsatForm, CsatReport } from '#domain/surveys/csat.schema.ts';
import { CsatPageQuery, CsatReportQuery } from '#functions/surveys/csat.http.ts';
import type { SURVEY_ROUTES } from '../routes.ts';
import type { RouteSchemas } from '../topology.ts';

type OperationId = (typeof SURVEY_ROUTES)[number]['operationId'];

function answerPages(ok: string) {
  return {
    200: { description: ok, html: true },
    400: { description: 'Link not valid (tampered or missing token, or no such score)', html: true },
    404: { description: 'Nothing to rate (the case or the person is gone)', html: true },
    410: { description: 'Link expired', html: true },
  };
}

/** The CSAT routes' request and response schemas (issue 11). */
export const SURVEY_ROUTE_SCHEMAS: Record<OperationId, RouteSchemas> = {
  csatPage: {
    summary: 'The survey page from the email link, with that score selected and a comment box (records nothing)',
    query: CsatPageQuery,
    responses: answerPages('The page'),
  },
  submitCsat: {
    summary: "The survey page's form: records the score (answering again keeps the last answer)",
    body: CsatForm,
    formBody: true,
    responses: answerPages('Thank-you page'),
  },
  csatReport: {
    summary: 'Satisfaction: surveys sent, responses, response rate, average score, CSAT % (share of 4 and 5)',
    query: CsatReportQuery,
    responses: { 200: { description: 'The report', schema: CsatReport } },
  },
};
