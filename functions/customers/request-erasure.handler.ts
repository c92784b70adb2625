import type { RouteHandler } from '../shared/http-app.ts';
import { json } from '../shared/request.ts';
import type { CustomersApp } from './customer.http.ts';
import { requesterId } from './erasure-request.http.ts';

/** DELETE /me: accepted, runs after the grace period; asking again answers the same request. */
export const requestErasureHandler: RouteHandler<Pick<CustomersApp, 'erasure'>> = async (request, app) =>
  json(202, await app.erasure.request(requesterId(request), { correlationId: request.correlationId }));
