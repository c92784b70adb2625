import { MyCommentInput } from '#domain/cases/my-case.schema.ts';
import type { RouteHandler } from '../shared/http-app.ts';
import { json, jsonBody } from '../shared/request.ts';
import { customerIdempotencyClaim, tokenCustomerId } from '../shared/token-customer.ts';
import { type CasesApp, caseIdParam } from './case.http.ts';
import { toMyComment } from './my-case.http.ts';

/** A public reply by the customer; a pending or solved case reopens (see customerReply). */
export const addMyCommentHandler: RouteHandler<CasesApp> = async (request, app) => {
  const customerId = tokenCustomerId(request);
  const id = caseIdParam(request);
  const { body } = jsonBody(request, MyCommentInput);
  const idempotency = customerIdempotencyClaim(request, customerId, `/me/cases/${id}/comments`);
  const comment = await app.cases.mine.reply(customerId, id, body, { correlationId: request.correlationId, ...(idempotency ? { idempotency } : {}) });
  return json(201, toMyComment(comment));
};
