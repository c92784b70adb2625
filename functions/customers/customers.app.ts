import { CUSTOMER_ROUTES } from '#infra/route-lists/customers.route-list.ts';
import type { CustomerRepository } from '#domain/customers/customer.repository.ts';
import type { ErasureRequestRepository } from '#domain/customers/erasure-request.repository.ts';
import type { Clock, IdGenerator, RetryPause } from '#domain/shared/ports.ts';
import { httpApp } from '../shared/http-app.ts';
import { lazyRoutes } from '../shared/lazy.ts';

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

/**
 * The customers Lambda's handler, built from its ports (AWS adapters, local ones, or fakes). Its
 * routes come in areas, each a module of handlers and the use cases they call, loaded by the
 * first request of one of its routes (its own chunk of the bundle): a cold start compiles none
 * of them, and a request compiles its own area only (issue 14).
 */
export function customersHandler(ports: CustomersPorts) {
  return httpApp(
    CUSTOMER_ROUTES,
    {
      ...lazyRoutes(
        [
          'POST /customers',
          'GET /customers',
          'GET /customers/{id}',
          'PATCH /customers/{id}',
          'DELETE /customers/{id}',
          'POST /customers/{id}/identities',
          'GET /customers/{id}/identities',
          'POST /customers/{id}/merge',
        ],
        async () => (await import('./profiles.routes.ts')).profileRoutes(ports),
      ),
      ...lazyRoutes(
        ['POST /customers/{id}/interactions', 'POST /interactions', 'GET /customers/{id}/timeline'],
        async () => (await import('./interactions.routes.ts')).interactionRoutes(ports),
      ),
      ...lazyRoutes(
        ['GET /me', 'PATCH /me', 'GET /me/timeline', 'DELETE /me', 'GET /me/erasure', 'POST /me/erasure/cancel', 'GET /erasure-requests'],
        async () => (await import('./self-service.routes.ts')).selfServiceRoutes(ports),
      ),
      ...lazyRoutes(['GET /customers/{id}/export', 'GET /me/export'], async () => (await import('./export.routes.ts')).exportRoutes(ports)),
    },
    undefined,
  );
}
