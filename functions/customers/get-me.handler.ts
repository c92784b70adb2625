import type { RouteHandler } from '../shared/http-app.ts';
import { tokenCustomerId } from '../shared/token-customer.ts';
import type { CustomersApp } from './customer.http.ts';
import { meResponse } from './me.http.ts';

export const getMeHandler: RouteHandler<Pick<CustomersApp, 'me'>> = async (request, app) => meResponse(await app.me.get(tokenCustomerId(request)));
