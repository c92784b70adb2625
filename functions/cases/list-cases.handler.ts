import type { RouteHandler } from '../shared/http-app.ts';
import { json, queryParams } from '../shared/request.ts';
import { CaseListQuery, type CasesApp, DEFAULT_PAGE_SIZE } from './case.http.ts';

export const listCasesHandler: RouteHandler<CasesApp> = async (request, app) => {
  const { limit, ...filters } = queryParams(request, CaseListQuery);
  const defined = Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined));
  return json(200, await app.cases.list({ ...defined, limit: limit ?? DEFAULT_PAGE_SIZE }));
};
