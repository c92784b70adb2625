import { CustomerPatch, READ_ONLY_FIELDS } from '#domain/customers/customer.schema.ts';
import type { RouteHandler } from '../shared/http-app.ts';
import { ifMatchVersion, jsonBody } from '../shared/request.ts';
import { type CustomersApp, customerIdParam, customerResponse } from './customer.http.ts';

export const patchCustomerHandler: RouteHandler<Pick<CustomersApp, 'customers'>> = async (request, app) => {
  const ifMatch = ifMatchVersion(request);
  const patch = jsonBody(request, CustomerPatch, READ_ONLY_FIELDS);
  const customer = await app.customers.patch(customerIdParam(request), patch, ifMatch, { correlationId: request.correlationId });
  return customerResponse(200, customer);
};
