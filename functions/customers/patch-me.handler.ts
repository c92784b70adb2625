import { MePatch } from '#domain/customers/me.schema.ts';
import type { RouteHandler } from '../shared/http-app.ts';
import { ifMatchVersion, jsonBody } from '../shared/request.ts';
import { tokenCustomerId } from '../shared/token-customer.ts';
import type { CustomersApp } from './customer.http.ts';
import { meResponse, NOT_SELF_SERVICE_FIELDS } from './me.http.ts';

/** JSON merge patch of names, phone, locale and timezone; any other field is a 400 naming it. */
export const patchMeHandler: RouteHandler<Pick<CustomersApp, 'me'>> = async (request, app) => {
  const customerId = tokenCustomerId(request);
  const ifMatch = ifMatchVersion(request);
  const patch = jsonBody(request, MePatch, NOT_SELF_SERVICE_FIELDS);
  return meResponse(await app.me.patch(customerId, patch, ifMatch, { correlationId: request.correlationId }));
};
