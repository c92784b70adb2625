import { CustomerNotFoundError } from '#domain/shared/errors.ts';
import type { CustomerUseCases } from '#domain/customers/customer.use-cases.ts';
import type { RouteHandler } from '../shared/http-app.ts';
import { CustomerId, customerResponse } from './customer.http.ts';

export const getCustomerHandler: RouteHandler<CustomerUseCases> = async (request, customers) => {
  const id = request.params.id ?? '';
  if (!CustomerId.safeParse(id).success) throw new CustomerNotFoundError(id);
  return customerResponse(200, await customers.get(id));
};
