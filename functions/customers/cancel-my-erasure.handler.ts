import type { RouteHandler } from '../shared/http-app.ts';
import { json } from '../shared/request.ts';
import type { CustomersApp } from './customer.http.ts';
import { requesterId } from './erasure-request.http.ts';

/** POST /me/erasure/cancel: the pending request is cancelled and its schedule goes. */
export const cancelMyErasureHandler: RouteHandler<Pick<CustomersApp, 'erasure'>> = async (request, app) =>
  json(200, await app.erasure.cancel(requesterId(request), { correlationId: request.correlationId }));
