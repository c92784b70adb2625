import { MarketingEmailInput } from '#domain/consent/consent.schema.ts';
import { customerIdParam } from '../customers/customer.http.ts';
import type { RouteHandler } from '../shared/http-app.ts';
import { json, jsonBody } from '../shared/request.ts';
import type { ConsentApp } from './consent.http.ts';

/** 202 with `{outcome: "sent", messageId}` or `{outcome: "blocked", reason}`: the gate decides. */
export const sendEmailHandler: RouteHandler<ConsentApp> = async (request, app) => {
  const customerId = customerIdParam(request);
  const input = jsonBody(request, MarketingEmailInput);
  return json(202, await app.consent.sendMarketing(customerId, input, request.baseUrl, { correlationId: request.correlationId }));
};
