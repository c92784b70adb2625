import type { RouteHandler } from '../shared/http-app.ts';
import { json, queryParams } from '../shared/request.ts';
import { type CustomersApp, DEFAULT_PAGE_SIZE } from './customer.http.ts';
import { ErasureRequestQuery } from './me.http.ts';

/** GET /erasure-requests (data protection roles): pending requests, soonest run first. */
export const listErasureRequestsHandler: RouteHandler<Pick<CustomersApp, 'erasure'>> = async (request, app) => {
  const query = queryParams(request, ErasureRequestQuery);
  const page = await app.erasure.listPending({ limit: query.limit ?? DEFAULT_PAGE_SIZE, ...(query.cursor !== undefined ? { cursor: query.cursor } : {}) });
  return json(200, page);
};
