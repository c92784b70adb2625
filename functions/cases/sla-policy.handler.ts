import { SlaPolicyInput } from '#domain/cases/sla-policy.ts';
import type { RouteHandler } from '../shared/http-app.ts';
import { json, jsonBody } from '../shared/request.ts';
import type { CasesApp } from './case.http.ts';

export const getSlaPolicyHandler: RouteHandler<CasesApp> = async (_request, app) => json(200, await app.cases.policy());

/** A new version; it applies to cases opened from now on. */
export const putSlaPolicyHandler: RouteHandler<CasesApp> = async (request, app) => json(200, await app.cases.putPolicy(jsonBody(request, SlaPolicyInput)));
