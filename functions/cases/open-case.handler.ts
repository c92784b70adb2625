import { CreateCaseInput } from '#domain/cases/case.schema.ts';
import type { RouteHandler } from '../shared/http-app.ts';
import { idempotencyClaim, jsonBody } from '../shared/request.ts';
import { type CasesApp, caseResponse } from './case.http.ts';

export const openCaseHandler: RouteHandler<CasesApp> = async (request, app) => {
  const input = jsonBody(request, CreateCaseInput);
  const idempotency = idempotencyClaim(request, '/cases');
  const { case: opened } = await app.cases.open(input, { correlationId: request.correlationId, ...(idempotency ? { idempotency } : {}) });
  return caseResponse(201, opened);
};
