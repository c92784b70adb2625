import { TopicsInput } from '#domain/consent/consent.schema.ts';
import type { RouteHandler } from '../shared/http-app.ts';
import { json, jsonBody } from '../shared/request.ts';
import type { ConsentApp } from './consent.http.ts';

export const getTopicsHandler: RouteHandler<ConsentApp> = async (_request, app) => json(200, await app.consent.topics());

export const putTopicsHandler: RouteHandler<ConsentApp> = async (request, app) => {
  const topics = jsonBody(request, TopicsInput, [], { array: true });
  await app.consent.putTopics(topics);
  return json(200, topics);
};
