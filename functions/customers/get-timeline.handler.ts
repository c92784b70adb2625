import type { RouteHandler } from '../shared/http-app.ts';
import { json, queryParams } from '../shared/request.ts';
import { type CustomersApp, customerIdParam, DEFAULT_PAGE_SIZE, hiddenTimelineKinds, TimelineQuery } from './customer.http.ts';

export const getTimelineHandler: RouteHandler<CustomersApp> = async (request, app) => {
  const customerId = customerIdParam(request);
  const query = queryParams(request, TimelineQuery);
  const page = await app.interactions.timeline(customerId, {
    limit: query.limit ?? DEFAULT_PAGE_SIZE,
    ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
    ...(query.channel !== undefined ? { channel: query.channel } : {}),
    ...(query.type !== undefined ? { type: query.type } : {}),
    hiddenKinds: hiddenTimelineKinds(request.principal),
  });
  return json(200, page);
};
