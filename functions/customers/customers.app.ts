import { CUSTOMER_ROUTES } from '#infra/routes.ts';
import type { CustomerRepository } from '#domain/customers/customer.repository.ts';
import { customerUseCases } from '#domain/customers/customer.use-cases.ts';
import { interactionUseCases } from '#domain/customers/interaction.use-cases.ts';
import { meUseCases } from '#domain/customers/me.use-cases.ts';
import type { ErasureRequestRepository } from '#domain/customers/erasure-request.repository.ts';
import { erasureRequestUseCases } from '#domain/customers/erasure-request.use-cases.ts';
import { DEFAULT_GRACE_DAYS } from '#domain/customers/erasure-request.ts';
import type { Clock, IdGenerator, RetryPause } from '#domain/shared/ports.ts';
import { httpApp } from '../shared/http-app.ts';
import { createCustomerHandler } from './create-customer.handler.ts';
import { deleteCustomerHandler } from './delete-customer.handler.ts';
import { exportCustomerHandler } from './export-customer.handler.ts';
import { exportMeHandler } from './export-me.handler.ts';
import { getCustomerHandler } from './get-customer.handler.ts';
import { getMeHandler } from './get-me.handler.ts';
import { getMyTimelineHandler } from './get-my-timeline.handler.ts';
import { getTimelineHandler } from './get-timeline.handler.ts';
import { linkIdentityHandler } from './link-identity.handler.ts';
import { listCustomersHandler } from './list-customers.handler.ts';
import { listIdentitiesHandler } from './list-identities.handler.ts';
import { mergeCustomersHandler } from './merge-customers.handler.ts';
import { patchCustomerHandler } from './patch-customer.handler.ts';
import { patchMeHandler } from './patch-me.handler.ts';
import { recordInteractionHandler } from './record-interaction.handler.ts';
import { recordInteractionsHandler } from './record-interactions.handler.ts';
import { requestErasureHandler } from './request-erasure.handler.ts';
import { getMyErasureHandler } from './get-my-erasure.handler.ts';
import { cancelMyErasureHandler } from './cancel-my-erasure.handler.ts';
import { listErasureRequestsHandler } from './list-erasure-requests.handler.ts';

export interface CustomersPorts {
  readonly customers: CustomerRepository;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly retry?: RetryPause;
  /** Self-service erasure requests (DELETE /me). */
  readonly erasureRequests: ErasureRequestRepository;
  /** ERASURE_GRACE_DAYS (functions/customers/erasure.config.ts); DEFAULT_GRACE_DAYS when absent. */
  readonly erasureGraceDays?: number;
}

/** The customers Lambda's handler, built from its ports (AWS adapters, local ones, or fakes). */
export function customersHandler(ports: CustomersPorts) {
  return httpApp(
    CUSTOMER_ROUTES,
    {
      'POST /customers': createCustomerHandler,
      'GET /customers': listCustomersHandler,
      'GET /customers/{id}': getCustomerHandler,
      'PATCH /customers/{id}': patchCustomerHandler,
      'DELETE /customers/{id}': deleteCustomerHandler,
      'POST /customers/{id}/interactions': recordInteractionHandler,
      'POST /interactions': recordInteractionsHandler,
      'GET /customers/{id}/timeline': getTimelineHandler,
      'POST /customers/{id}/identities': linkIdentityHandler,
      'GET /customers/{id}/identities': listIdentitiesHandler,
      'POST /customers/{id}/merge': mergeCustomersHandler,
      'GET /customers/{id}/export': exportCustomerHandler,
      'GET /me': getMeHandler,
      'PATCH /me': patchMeHandler,
      'GET /me/timeline': getMyTimelineHandler,
      'GET /me/export': exportMeHandler,
      'DELETE /me': requestErasureHandler,
      'GET /me/erasure': getMyErasureHandler,
      'POST /me/erasure/cancel': cancelMyErasureHandler,
      'GET /erasure-requests': listErasureRequestsHandler,
    },
    contextUseCases(ports),
  );
}

function contextUseCases(ports: CustomersPorts) {
  const customers = customerUseCases(ports);
  const interactions = interactionUseCases(ports);
  return {
    customers,
    interactions,
    me: meUseCases({ customers, interactions }),
    erasure: erasureRequestUseCases({ requests: ports.erasureRequests, clock: ports.clock, graceDays: ports.erasureGraceDays ?? DEFAULT_GRACE_DAYS }),
  };
}
