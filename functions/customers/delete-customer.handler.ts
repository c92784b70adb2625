import type { RouteHandler } from '../shared/http-app.ts';
import { noContent, requiredIfMatchVersion } from '../shared/request.ts';
import { type CustomersApp, customerIdParam } from './customer.http.ts';

/** DELETE is GDPR erasure: the person's data goes everywhere, anonymous aggregates stay. */
export const deleteCustomerHandler: RouteHandler<Pick<CustomersApp, 'customers'>> = async (request, app) => {
  const ifMatch = requiredIfMatchVersion(request);
  await app.customers.erase(customerIdParam(request), ifMatch, { correlationId: request.correlationId });
  return noContent();
};
