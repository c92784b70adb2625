import type { CustomerUseCases } from '#domain/customers/customer.use-cases.ts';
import type { RouteHandler } from '../shared/http-app.ts';
import { json, queryParams } from '../shared/request.ts';
import { CustomerListQuery, DEFAULT_PAGE_SIZE } from './customer.http.ts';

export const listCustomersHandler: RouteHandler<CustomerUseCases> = async (request, customers) => {
  const query = queryParams(request, CustomerListQuery);
  const page = await customers.list({
    limit: query.limit ?? DEFAULT_PAGE_SIZE,
    ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
    ...(query.email !== undefined ? { email: query.email } : {}),
    ...(query.tag !== undefined ? { tag: query.tag } : {}),
  });
  return json(200, page);
};
