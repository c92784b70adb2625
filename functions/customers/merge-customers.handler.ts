import { MergeInput } from '#domain/customers/customer.schema.ts';
import type { RouteHandler } from '../shared/http-app.ts';
import { jsonBody } from '../shared/request.ts';
import { type CustomersApp, customerIdParam, customerResponse } from './customer.http.ts';

export const mergeCustomersHandler: RouteHandler<Pick<CustomersApp, 'customers'>> = async (request, app) => {
  const targetId = customerIdParam(request);
  const { sourceId } = jsonBody(request, MergeInput);
  return customerResponse(200, await app.customers.merge(targetId, sourceId, { correlationId: request.correlationId }));
};
