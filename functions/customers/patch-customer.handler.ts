import { CustomerPatch, READ_ONLY_FIELDS } from '#domain/customers/customer.schema.ts';
import type { CustomerUseCases } from '#domain/customers/customer.use-cases.ts';
import { CustomerNotFoundError } from '#domain/shared/errors.ts';
import type { RouteHandler } from '../shared/http-app.ts';
import { ifMatchVersion, jsonBody } from '../shared/request.ts';
import { CustomerId, customerResponse } from './customer.http.ts';

export const patchCustomerHandler: RouteHandler<CustomerUseCases> = async (request, customers) => {
  const id = request.params.id ?? '';
  const ifMatch = ifMatchVersion(request);
  const patch = jsonBody(request, CustomerPatch, READ_ONLY_FIELDS);
  if (!CustomerId.safeParse(id).success) throw new CustomerNotFoundError(id);
  const customer = await customers.patch(id, patch, ifMatch, { correlationId: request.requestId });
  return customerResponse(200, customer);
};
