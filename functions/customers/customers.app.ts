import type { CustomerRepository } from '#domain/customers/customer.repository.ts';
import { customerUseCases } from '#domain/customers/customer.use-cases.ts';
import type { Clock, IdGenerator } from '#domain/shared/ports.ts';
import { httpApp } from '../shared/http-app.ts';
import { createCustomerHandler } from './create-customer.handler.ts';
import { deleteCustomerHandler } from './delete-customer.handler.ts';
import { getCustomerHandler } from './get-customer.handler.ts';
import { listCustomersHandler } from './list-customers.handler.ts';
import { patchCustomerHandler } from './patch-customer.handler.ts';

export interface CustomersPorts {
  readonly customers: CustomerRepository;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

/** The customers Lambda's handler, built from its ports (AWS adapters, local ones, or fakes). */
export function customersHandler(ports: CustomersPorts) {
  return httpApp(
    'customers',
    {
      'POST /customers': createCustomerHandler,
      'GET /customers': listCustomersHandler,
      'GET /customers/{id}': getCustomerHandler,
      'PATCH /customers/{id}': patchCustomerHandler,
      'DELETE /customers/{id}': deleteCustomerHandler,
    },
    customerUseCases(ports),
  );
}
