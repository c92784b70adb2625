import { customerUseCases } from '#domain/customers/customer.use-cases.ts';
import { DEFAULT_GRACE_DAYS } from '#domain/customers/erasure-grace.ts';
import { erasureRequestUseCases } from '#domain/customers/erasure-request.use-cases.ts';
import { interactionUseCases } from '#domain/customers/interaction.use-cases.ts';
import { meUseCases } from '#domain/customers/me.use-cases.ts';
import { bindRoutes } from '../shared/bind-routes.ts';
import type { CustomersPorts } from './customers.app.ts';
import { cancelMyErasureHandler } from './cancel-my-erasure.handler.ts';
import { getMeHandler } from './get-me.handler.ts';
import { getMyErasureHandler } from './get-my-erasure.handler.ts';
import { getMyTimelineHandler } from './get-my-timeline.handler.ts';
import { listErasureRequestsHandler } from './list-erasure-requests.handler.ts';
import { patchMeHandler } from './patch-me.handler.ts';
import { requestErasureHandler } from './request-erasure.handler.ts';

// Self-service (/me: a person's own profile and timeline) and erasure requests (a person's own,
// and the staff listing of pending ones): loaded by the first request of one of these routes.

export function selfServiceRoutes(ports: CustomersPorts) {
  const me = meUseCases({ customers: customerUseCases(ports), interactions: interactionUseCases(ports) });
  const erasure = erasureRequestUseCases({ requests: ports.erasureRequests, clock: ports.clock, graceDays: ports.erasureGraceDays ?? DEFAULT_GRACE_DAYS });
  return bindRoutes({ me, erasure }, {
    'GET /me': getMeHandler,
    'PATCH /me': patchMeHandler,
    'GET /me/timeline': getMyTimelineHandler,
    'DELETE /me': requestErasureHandler,
    'GET /me/erasure': getMyErasureHandler,
    'POST /me/erasure/cancel': cancelMyErasureHandler,
    'GET /erasure-requests': listErasureRequestsHandler,
  });
}
