import type { RouteHandler } from '../shared/http-app.ts';
import type { SalesInfra } from './sales.infra.ts';

// The products part of the sales function (issue 12): its ports, how they are built from the
// function's infrastructure, and its route handlers (keys: "METHOD /path" of PRODUCT_ROUTES).

export interface ProductPorts {}

export const productPortsFor = (_infra: SalesInfra): ProductPorts => ({});

export const productHandlers: Record<string, RouteHandler<ProductPorts>> = {};
