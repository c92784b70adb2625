import { ConsentCommand } from '#domain/consent/consent.schema.ts';
import { customerIdParam } from '../customers/customer.http.ts';
import type { RouteHandler } from '../shared/http-app.ts';
import { json, jsonBody } from '../shared/request.ts';
import type { ConsentApp } from './consent.http.ts';

export const getConsentsHandler: RouteHandler<ConsentApp> = async (request, app) => json(200, await app.consent.consents(customerIdParam(request)));

/** request -> 202 (a confirmation email goes out), grant (admin) and withdraw -> 200. */
export const postConsentHandler: RouteHandler<ConsentApp> = async (request, app) => {
  const customerId = customerIdParam(request);
  const command = jsonBody(request, ConsentCommand);
  const result = await app.consent.command(customerId, command, { roles: request.principal?.roles ?? [] }, request.baseUrl, { correlationId: request.correlationId });
  return json(command.action === 'request' ? 202 : 200, { topic: command.topic, ...result });
};
