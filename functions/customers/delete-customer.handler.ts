import type { RouteHandler } from '../shared/http-app.ts';
import { ifMatchVersion, noContent } from '../shared/request.ts';
import { type CustomersApp, customerIdParam } from './customer.http.ts';

/** DELETE is GDPR erasure: the person's data goes everywhere, anonymous aggregates stay. */
export const deleteCustomerHandler: RouteHandler<CustomersApp> = async (request, app) => {
  const ifMatch = ifMatchVersion(request);
  await app.customers.erase(customerIdParam(request), ifMatch, { correlationId: request.requestId });
  return noContent();
};
