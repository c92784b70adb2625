import type { RouteHandler } from '../shared/http-app.ts';
import { json } from '../shared/request.ts';
import { type CustomersApp, customerIdParam } from './customer.http.ts';

export const listIdentitiesHandler: RouteHandler<Pick<CustomersApp, 'customers'>> = async (request, app) =>
  json(200, { items: await app.customers.identities(customerIdParam(request)), nextCursor: null });
