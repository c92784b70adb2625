import type { RouteHandler } from '../shared/http-app.ts';
import { json } from '../shared/request.ts';
import { type CustomersApp, customerIdParam, timelineQueryOf } from './customer.http.ts';

export const getTimelineHandler: RouteHandler<Pick<CustomersApp, 'interactions'>> = async (request, app) =>
  json(200, await app.interactions.timeline(customerIdParam(request), timelineQueryOf(request)));
