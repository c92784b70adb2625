import { CommentInput } from '#domain/cases/case.schema.ts';
import type { RouteHandler } from '../shared/http-app.ts';
import { idempotencyClaim, json, jsonBody } from '../shared/request.ts';
import { type CasesApp, caseIdParam } from './case.http.ts';

export const addCommentHandler: RouteHandler<CasesApp> = async (request, app) => {
  const id = caseIdParam(request);
  const input = jsonBody(request, CommentInput);
  const author = { id: request.principal?.sub ?? 'unknown', type: 'staff' as const };
  const idempotency = idempotencyClaim(request, `/cases/${id}/comments`);
  return json(201, await app.cases.comment(id, input, author, { correlationId: request.correlationId, ...(idempotency ? { idempotency } : {}) }, request.baseUrl));
};
