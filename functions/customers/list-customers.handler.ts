import type { RouteHandler } from '../shared/http-app.ts';
import { json, queryParams } from '../shared/request.ts';
import { type CustomersApp, CustomerListQuery, customerView, DEFAULT_PAGE_SIZE } from './customer.http.ts';

export const listCustomersHandler: RouteHandler<Pick<CustomersApp, 'customers'>> = async (request, app) => {
  const query = queryParams(request, CustomerListQuery);
  const page = await app.customers.list({
    limit: query.limit ?? DEFAULT_PAGE_SIZE,
    ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
    ...(query.email !== undefined ? { email: query.email } : {}),
    ...(query.tag !== undefined ? { tag: query.tag } : {}),
    ...(query.identity !== undefined ? { identity: query.identity } : {}),
  });
  return json(200, { items: page.items.map(customerView), nextCursor: page.nextCursor });
};
