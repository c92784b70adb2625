import { AssignInput } from '#domain/cases/case.schema.ts';
import type { RouteHandler } from '../shared/http-app.ts';
import { jsonBody } from '../shared/request.ts';
import { type CasesApp, caseIdParam, caseResponse } from './case.http.ts';

export const assignCaseHandler: RouteHandler<CasesApp> = async (request, app) => {
  const id = caseIdParam(request);
  const input = jsonBody(request, AssignInput);
  return caseResponse(200, await app.cases.assign(id, input, { correlationId: request.correlationId }));
};
