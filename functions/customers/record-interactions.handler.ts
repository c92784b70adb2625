import { BatchInput } from '#domain/customers/interaction.schema.ts';
import type { RouteHandler } from '../shared/http-app.ts';
import { toProblem } from '../shared/problem.ts';
import { json, jsonBody } from '../shared/request.ts';
import type { CustomersApp } from './customer.http.ts';

/** Click streams from websites and apps: 1-25 items, each created or refused on its own. */
export const recordInteractionsHandler: RouteHandler<CustomersApp> = async (request, app) => {
  const { items } = jsonBody(request, BatchInput);
  const results = await app.interactions.recordBatch(items);
  return json(200, { items: results.map((r) => (r.status === 'error' ? { index: r.index, status: r.status, error: toProblem(r.error) } : r)) });
};
