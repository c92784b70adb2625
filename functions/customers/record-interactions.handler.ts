import { BatchInput } from '#domain/customers/interaction.schema.ts';
import type { RouteHandler } from '../shared/http-app.ts';
import { toProblem } from '../shared/problem.ts';
import { idempotencyClaim, json, jsonBody } from '../shared/request.ts';
import type { CustomersApp } from './customer.http.ts';

/** Click streams from websites and apps: 1-25 items, each created or refused on its own; a retry with the same Idempotency-Key gets the first answer. */
export const recordInteractionsHandler: RouteHandler<Pick<CustomersApp, 'interactions'>> = async (request, app) => {
  const { items } = jsonBody(request, BatchInput);
  const body = await app.interactions.recordBatchOnce(
    items,
    (results) => ({ items: results.map((r) => (r.status === 'error' ? { index: r.index, status: r.status, error: toProblem(r.error) } : r)) }),
    idempotencyClaim(request, '/interactions'),
    { correlationId: request.correlationId },
  );
  return json(200, body);
};
