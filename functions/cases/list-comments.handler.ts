import type { RouteHandler } from '../shared/http-app.ts';
import { json, queryParams } from '../shared/request.ts';
import { type CasesApp, caseIdParam, CommentListQuery, DEFAULT_PAGE_SIZE } from './case.http.ts';

export const listCommentsHandler: RouteHandler<CasesApp> = async (request, app) => {
  const id = caseIdParam(request);
  const { limit, cursor } = queryParams(request, CommentListQuery);
  return json(200, await app.cases.comments(id, { limit: limit ?? DEFAULT_PAGE_SIZE, ...(cursor ? { cursor } : {}) }));
};
