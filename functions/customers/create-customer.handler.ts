import { CreateCustomerInput, READ_ONLY_FIELDS } from '#domain/customers/customer.schema.ts';
import type { RouteHandler } from '../shared/http-app.ts';
import { idempotencyClaim, jsonBody } from '../shared/request.ts';
import { type CustomersApp, customerResponse } from './customer.http.ts';

export const createCustomerHandler: RouteHandler<Pick<CustomersApp, 'customers'>> = async (request, app) => {
  const input = jsonBody(request, CreateCustomerInput, READ_ONLY_FIELDS);
  const idempotency = idempotencyClaim(request, '/customers');
  const { customer } = await app.customers.create(input, {
    correlationId: request.correlationId,
    ...(idempotency ? { idempotency } : {}),
  });
  return customerResponse(201, customer);
};
