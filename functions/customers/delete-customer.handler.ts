import type { CustomerUseCases } from '#domain/customers/customer.use-cases.ts';
import { CustomerNotFoundError } from '#domain/shared/errors.ts';
import type { RouteHandler } from '../shared/http-app.ts';
import { ifMatchVersion, noContent } from '../shared/request.ts';
import { CustomerId } from './customer.http.ts';

export const deleteCustomerHandler: RouteHandler<CustomerUseCases> = async (request, customers) => {
  const id = request.params.id ?? '';
  const ifMatch = ifMatchVersion(request);
  if (!CustomerId.safeParse(id).success) throw new CustomerNotFoundError(id);
  await customers.remove(id, ifMatch, { correlationId: request.requestId });
  return noContent();
};
