import { AccountNotFoundError } from '#domain/sales/account.ts';
import { ProductInput } from '#domain/sales/product.schema.ts';
import type { ProductUseCases } from '#domain/sales/product.use-cases.ts';
import { CustomerNotFoundError } from '#domain/shared/errors.ts';
import type { HttpRequest, RouteHandler } from '../shared/http-app.ts';
import { DEFAULT_PAGE_SIZE, PathId } from '../shared/query.ts';
import { etag, ifMatchVersion, json, jsonBody, queryParams } from '../shared/request.ts';
import { productsFor } from './product.composition.ts';
import { DEFAULT_RECOMMENDATIONS, ProductListQuery, RecommendationQuery, skuParam } from './product.http.ts';
import type { SalesInfra } from './sales.infra.ts';

// The products part of the sales function (issue 12): its ports, how they are built from the
// function's infrastructure, and its route handlers (keys: "METHOD /path" of PRODUCT_ROUTES).

export interface ProductPorts {
  readonly products: ProductUseCases;
}

export const productPortsFor = (infra: SalesInfra): ProductPorts => ({ products: productsFor(infra) });

type Handler = RouteHandler<ProductPorts>;
const READ_ONLY = ['sku', 'createdAt', 'updatedAt', 'version'];

function idParam(request: HttpRequest, notFound: (id: string) => Error): string {
  const id = request.params.id ?? '';
  if (!PathId.safeParse(id).success) throw notFound(id);
  return id;
}
const customerIdParam = (request: HttpRequest) => idParam(request, (id) => new CustomerNotFoundError(id));
const accountIdParam = (request: HttpRequest) => idParam(request, (id) => new AccountNotFoundError(id));

const putProduct: Handler = async (request, { products }) => {
  const sku = skuParam(request);
  const ifMatch = ifMatchVersion(request);
  const input = jsonBody(request, ProductInput, READ_ONLY);
  const { product, created } = await products.put(sku, input, ifMatch);
  return json(created ? 201 : 200, product, { etag: etag(product.version), ...(created ? { location: `/products/${encodeURIComponent(sku)}` } : {}) });
};

const listProducts: Handler = async (request, { products }) => {
  const { limit, cursor, category, active } = queryParams(request, ProductListQuery);
  return json(200, await products.list({ category, active }, { limit: limit ?? DEFAULT_PAGE_SIZE, cursor }));
};

const getProduct: Handler = async (request, { products }) => {
  const product = await products.get(skuParam(request));
  return json(200, product, { etag: etag(product.version) });
};

const recommendations: Handler = async (request, { products }) => {
  const id = customerIdParam(request);
  const { limit } = queryParams(request, RecommendationQuery);
  return json(200, { items: await products.recommendationsFor(id, limit ?? DEFAULT_RECOMMENDATIONS) });
};

const accountRecommendations: Handler = async (request, { products }) => {
  const id = accountIdParam(request);
  const { limit } = queryParams(request, RecommendationQuery);
  return json(200, { items: await products.recommendationsForAccount(id, limit ?? DEFAULT_RECOMMENDATIONS) });
};

export const productHandlers: Record<string, Handler> = {
  'PUT /products/{sku}': putProduct,
  'GET /products': listProducts,
  'GET /products/{sku}': getProduct,
  'GET /customers/{id}/recommendations': recommendations,
  'GET /accounts/{id}/recommendations': accountRecommendations,
};
