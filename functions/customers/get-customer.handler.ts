import type { RouteHandler } from '../shared/http-app.ts';
import { type CustomersApp, customerIdParam, customerResponse } from './customer.http.ts';

export const getCustomerHandler: RouteHandler<Pick<CustomersApp, 'customers'>> = async (request, app) =>
  customerResponse(200, await app.customers.get(customerIdParam(request)));
