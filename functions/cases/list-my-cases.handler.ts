import type { RouteHandler } from '../shared/http-app.ts';
import { json, queryParams } from '../shared/request.ts';
import { tokenCustomerId } from '../shared/token-customer.ts';
import { type CasesApp, DEFAULT_PAGE_SIZE } from './case.http.ts';
import { MyCaseListQuery, toMyCase } from './my-case.http.ts';

export const listMyCasesHandler: RouteHandler<CasesApp> = async (request, app) => {
  const customerId = tokenCustomerId(request);
  const { limit, cursor, status } = queryParams(request, MyCaseListQuery);
  const page = await app.cases.mine.list(customerId, { limit: limit ?? DEFAULT_PAGE_SIZE, ...(cursor ? { cursor } : {}), ...(status ? { status } : {}) });
  return json(200, { items: page.items.map(toMyCase), nextCursor: page.nextCursor });
};
