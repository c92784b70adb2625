import { SlaPolicyInput } from '#domain/cases/sla-policy.ts';
import type { RouteHandler } from '../shared/http-app.ts';
import { etag, ifMatchVersion, json, jsonBody } from '../shared/request.ts';
import type { CasesApp } from './case.http.ts';

export const getSlaPolicyHandler: RouteHandler<CasesApp> = async (_request, app) => {
  const policy = await app.cases.policy();
  return json(200, policy, { etag: etag(policy.version) });
};

/** A new version; it applies to cases opened from now on. With If-Match, only over the version read (412 else). */
export const putSlaPolicyHandler: RouteHandler<CasesApp> = async (request, app) => {
  const ifMatch = ifMatchVersion(request);
  const policy = await app.cases.putPolicy(jsonBody(request, SlaPolicyInput), ifMatch);
  return json(200, policy, { etag: etag(policy.version) });
};
