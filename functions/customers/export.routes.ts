import { customerUseCases } from '#domain/customers/customer.use-cases.ts';
import { interactionUseCases } from '#domain/customers/interaction.use-cases.ts';
import { meUseCases } from '#domain/customers/me.use-cases.ts';
import { bindRoutes } from '../shared/bind-routes.ts';
import type { CustomersPorts } from './customers.app.ts';
import { exportCustomerHandler } from './export-customer.handler.ts';
import { exportMeHandler } from './export-me.handler.ts';

// GDPR access and portability (staff for a customer, a person for themselves): loaded by the
// first request of one of these routes.

export function exportRoutes(ports: CustomersPorts) {
  const customers = customerUseCases(ports);
  return bindRoutes({ customers, me: meUseCases({ customers, interactions: interactionUseCases(ports) }) }, {
    'GET /customers/{id}/export': exportCustomerHandler,
    'GET /me/export': exportMeHandler,
  });
}
