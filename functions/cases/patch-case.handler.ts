import { CasePatch } from '#domain/cases/case.schema.ts';
import type { RouteHandler } from '../shared/http-app.ts';
import { ifMatchVersion, jsonBody } from '../shared/request.ts';
import { type CasesApp, caseIdParam, caseResponse } from './case.http.ts';

export const patchCaseHandler: RouteHandler<CasesApp> = async (request, app) => {
  const ifMatch = ifMatchVersion(request);
  const patch = jsonBody(request, CasePatch, ['id', 'number', 'version', 'createdAt', 'updatedAt', 'sla', 'escalationLevel', 'customerId']);
  return caseResponse(200, await app.cases.patch(caseIdParam(request), patch, ifMatch, { correlationId: request.correlationId }));
};
