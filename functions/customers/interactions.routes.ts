import { interactionUseCases } from '#domain/customers/interaction.use-cases.ts';
import { bindRoutes } from '../shared/bind-routes.ts';
import type { CustomersPorts } from './customers.app.ts';
import { getTimelineHandler } from './get-timeline.handler.ts';
import { recordInteractionHandler } from './record-interaction.handler.ts';
import { recordInteractionsHandler } from './record-interactions.handler.ts';

// Interactions (one, or a batch from websites and apps) and staff timelines: loaded by the first
// request of one of these routes.

export function interactionRoutes(ports: CustomersPorts) {
  return bindRoutes({ interactions: interactionUseCases(ports) }, {
    'POST /customers/{id}/interactions': recordInteractionHandler,
    'POST /interactions': recordInteractionsHandler,
    'GET /customers/{id}/timeline': getTimelineHandler,
  });
}
