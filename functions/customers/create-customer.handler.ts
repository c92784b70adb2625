import { CreateCustomerInput, READ_ONLY_FIELDS } from '#domain/customers/customer.schema.ts';
import type { CustomerUseCases } from '#domain/customers/customer.use-cases.ts';
import type { RouteHandler } from '../shared/http-app.ts';
import { idempotencyClaim, jsonBody } from '../shared/request.ts';
import { customerResponse } from './customer.http.ts';

export const createCustomerHandler: RouteHandler<CustomerUseCases> = async (request, customers) => {
  const input = jsonBody(request, CreateCustomerInput, READ_ONLY_FIELDS);
  const idempotency = idempotencyClaim(request, '/customers');
  const { customer } = await customers.create(input, {
    correlationId: request.requestId,
    ...(idempotency ? { idempotency } : {}),
  });
  return customerResponse(201, customer);
};
