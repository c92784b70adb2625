import type { RouteHandler } from '../shared/http-app.ts';
import { json } from '../shared/request.ts';
import { type CustomersApp, customerIdParam, customerView } from './customer.http.ts';

/** GDPR access/portability: everything held about the person as one JSON document. */
export const exportCustomerHandler: RouteHandler<Pick<CustomersApp, 'customers'>> = async (request, app) => {
  const id = customerIdParam(request);
  const data = await app.customers.exportData(id);
  return json(200, { ...data, customer: customerView(data.customer) }, { 'content-disposition': `attachment; filename="customer-${id}.json"` });
};
