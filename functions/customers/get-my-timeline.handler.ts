import type { RouteHandler } from '../shared/http-app.ts';
import { json, queryParams } from '../shared/request.ts';
import { tokenCustomerId } from '../shared/token-customer.ts';
import { type CustomersApp, DEFAULT_PAGE_SIZE, hiddenTimelineKinds, TimelineQuery } from './customer.http.ts';

/** The kinds a customer sees follow TIMELINE_READ_ACCESS like a staff reader's (internal comments are never on a timeline). */
export const getMyTimelineHandler: RouteHandler<CustomersApp> = async (request, app) => {
  const customerId = tokenCustomerId(request);
  const query = queryParams(request, TimelineQuery);
  const page = await app.me.timeline(customerId, {
    limit: query.limit ?? DEFAULT_PAGE_SIZE,
    ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
    ...(query.channel !== undefined ? { channel: query.channel } : {}),
    ...(query.type !== undefined ? { type: query.type } : {}),
    hiddenKinds: hiddenTimelineKinds(request.principal),
  });
  return json(200, page);
};
