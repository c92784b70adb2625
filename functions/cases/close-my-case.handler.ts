import type { RouteHandler } from '../shared/http-app.ts';
import { tokenCustomerId } from '../shared/token-customer.ts';
import { type CasesApp, caseIdParam } from './case.http.ts';
import { myCaseResponse } from './my-case.http.ts';

export const closeMyCaseHandler: RouteHandler<CasesApp> = async (request, app) =>
  myCaseResponse(200, await app.cases.mine.close(tokenCustomerId(request), caseIdParam(request), { correlationId: request.correlationId }));
