import type { RouteHandler } from '../shared/http-app.ts';
import { json, queryParams } from '../shared/request.ts';
import { tokenCustomerId } from '../shared/token-customer.ts';
import { type CasesApp, caseIdParam, CommentListQuery, DEFAULT_PAGE_SIZE } from './case.http.ts';
import { toMyComment } from './my-case.http.ts';

export const listMyCommentsHandler: RouteHandler<CasesApp> = async (request, app) => {
  const customerId = tokenCustomerId(request);
  const id = caseIdParam(request);
  const { limit, cursor } = queryParams(request, CommentListQuery);
  const page = await app.cases.mine.comments(customerId, id, { limit: limit ?? DEFAULT_PAGE_SIZE, ...(cursor ? { cursor } : {}) });
  return json(200, { items: page.items.map(toMyComment), nextCursor: page.nextCursor });
};
