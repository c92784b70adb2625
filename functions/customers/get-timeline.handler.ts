import type { RouteHandler } from '../shared/http-app.ts';
import { json } from '../shared/request.ts';
import { type CustomersApp, customerIdParam, timelineQueryOf } from './customer.http.ts';

export const getTimelineHandler: RouteHandler<CustomersApp> = async (request, app) =>
  json(200, await app.interactions.timeline(customerIdParam(request), timelineQueryOf(request)));
