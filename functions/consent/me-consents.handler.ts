import { PreferencesInput } from '#domain/consent/consent.schema.ts';
import type { RouteHandler } from '../shared/http-app.ts';
import { json, jsonBody } from '../shared/request.ts';
import { tokenCustomerId } from '../shared/token-customer.ts';
import type { ConsentApp } from './consent.http.ts';

/** `{topics: {topicId: boolean}}`: the body PUT takes, so a client can send it back as is. */
export const getMyConsentsHandler: RouteHandler<ConsentApp> = async (request, app) => json(200, await app.consent.myPreferences(tokenCustomerId(request)));

/** The preference centre: true starts a double opt-in (it does not subscribe directly), false withdraws. */
export const putMyConsentsHandler: RouteHandler<ConsentApp> = async (request, app) => {
  const customerId = tokenCustomerId(request);
  const { topics } = jsonBody(request, PreferencesInput);
  await app.consent.preferences(customerId, topics, request.baseUrl, { correlationId: request.correlationId });
  return json(200, await app.consent.myPreferences(customerId));
};
