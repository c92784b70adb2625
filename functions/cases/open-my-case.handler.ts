import { MyCaseInput } from '#domain/cases/my-case.schema.ts';
import type { RouteHandler } from '../shared/http-app.ts';
import { jsonBody } from '../shared/request.ts';
import { customerIdempotencyClaim, tokenCustomerId } from '../shared/token-customer.ts';
import type { CasesApp } from './case.http.ts';
import { myCaseResponse } from './my-case.http.ts';

export const openMyCaseHandler: RouteHandler<CasesApp> = async (request, app) => {
  const customerId = tokenCustomerId(request);
  const input = jsonBody(request, MyCaseInput);
  const idempotency = customerIdempotencyClaim(request, customerId, '/me/cases');
  const { case: opened } = await app.cases.mine.open(customerId, input, { correlationId: request.correlationId, ...(idempotency ? { idempotency } : {}) });
  return myCaseResponse(201, opened);
};
