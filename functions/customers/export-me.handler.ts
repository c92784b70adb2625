import type { RouteHandler } from '../shared/http-app.ts';
import { json } from '../shared/request.ts';
import { tokenCustomerId } from '../shared/token-customer.ts';
import { type CustomersApp, customerView } from './customer.http.ts';

/** GDPR access and portability for the person themselves: the document GET /customers/{id}/export gives staff. */
export const exportMeHandler: RouteHandler<Pick<CustomersApp, 'me'>> = async (request, app) => {
  const id = tokenCustomerId(request);
  const data = await app.me.exportData(id);
  return json(200, { ...data, customer: customerView(data.customer) }, { 'content-disposition': `attachment; filename="customer-${id}.json"` });
};
