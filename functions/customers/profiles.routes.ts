import { customerUseCases } from '#domain/customers/customer.use-cases.ts';
import { bindRoutes } from '../shared/bind-routes.ts';
import type { CustomersPorts } from './customers.app.ts';
import { createCustomerHandler } from './create-customer.handler.ts';
import { deleteCustomerHandler } from './delete-customer.handler.ts';
import { getCustomerHandler } from './get-customer.handler.ts';
import { linkIdentityHandler } from './link-identity.handler.ts';
import { listCustomersHandler } from './list-customers.handler.ts';
import { listIdentitiesHandler } from './list-identities.handler.ts';
import { mergeCustomersHandler } from './merge-customers.handler.ts';
import { patchCustomerHandler } from './patch-customer.handler.ts';

// Profiles, their identities and merges: loaded by the first request of one of these routes.

export function profileRoutes(ports: CustomersPorts) {
  return bindRoutes({ customers: customerUseCases(ports) }, {
    'POST /customers': createCustomerHandler,
    'GET /customers': listCustomersHandler,
    'GET /customers/{id}': getCustomerHandler,
    'PATCH /customers/{id}': patchCustomerHandler,
    'DELETE /customers/{id}': deleteCustomerHandler,
    'POST /customers/{id}/identities': linkIdentityHandler,
    'GET /customers/{id}/identities': listIdentitiesHandler,
    'POST /customers/{id}/merge': mergeCustomersHandler,
  });
}
