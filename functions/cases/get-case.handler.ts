import type { RouteHandler } from '../shared/http-app.ts';
import { type CasesApp, caseIdParam, caseResponse } from './case.http.ts';

export const getCaseHandler: RouteHandler<CasesApp> = async (request, app) => caseResponse(200, await app.cases.get(caseIdParam(request)));
