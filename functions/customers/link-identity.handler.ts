import { IdentityInput } from '#domain/customers/identity.ts';
import type { RouteHandler } from '../shared/http-app.ts';
import { json, jsonBody } from '../shared/request.ts';
import { type CustomersApp, customerIdParam } from './customer.http.ts';

export const linkIdentityHandler: RouteHandler<Pick<CustomersApp, 'customers'>> = async (request, app) => {
  const customerId = customerIdParam(request);
  const input = jsonBody(request, IdentityInput);
  const { identity, created } = await app.customers.linkIdentity(customerId, input, { correlationId: request.correlationId });
  return json(created ? 201 : 200, identity);
};
