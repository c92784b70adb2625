import type { RouteHandler } from '../shared/http-app.ts';
import { json } from '../shared/request.ts';
import { tokenCustomerId } from '../shared/token-customer.ts';
import { type CustomersApp, timelineQueryOf } from './customer.http.ts';

/** The kinds a customer sees follow TIMELINE_READ_ACCESS like a staff reader's (internal comments are never on a timeline). */
export const getMyTimelineHandler: RouteHandler<Pick<CustomersApp, 'me'>> = async (request, app) =>
  json(200, await app.me.timeline(tokenCustomerId(request), timelineQueryOf(request)));
