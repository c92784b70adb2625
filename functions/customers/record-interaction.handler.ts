import { InteractionInput } from '#domain/customers/interaction.schema.ts';
import type { RouteHandler } from '../shared/http-app.ts';
import { idempotencyClaim, json, jsonBody } from '../shared/request.ts';
import { type CustomersApp, customerIdParam } from './customer.http.ts';

export const recordInteractionHandler: RouteHandler<Pick<CustomersApp, 'interactions'>> = async (request, app) => {
  const customerId = customerIdParam(request);
  const input = jsonBody(request, InteractionInput);
  const idempotency = idempotencyClaim(request, `/customers/${customerId}/interactions`);
  return json(201, await app.interactions.recordOne(customerId, input, idempotency, { correlationId: request.correlationId }));
};
