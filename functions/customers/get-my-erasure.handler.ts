import type { RouteHandler } from '../shared/http-app.ts';
import { json } from '../shared/request.ts';
import type { CustomersApp } from './customer.http.ts';
import { requesterId } from './erasure-request.http.ts';

/** GET /me/erasure: when the pending erasure runs (so a frontend can offer to cancel it). */
export const getMyErasureHandler: RouteHandler<Pick<CustomersApp, 'erasure'>> = async (request, app) => json(200, await app.erasure.mine(requesterId(request)));
