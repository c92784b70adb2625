import type { RouteHandler } from '../shared/http-app.ts';
import type { SalesInfra } from './sales.infra.ts';

// The accounts part of the sales function (issue 12): its ports, how they are built from the
// function's infrastructure, and its route handlers (keys: "METHOD /path" of ACCOUNT_ROUTES).

export interface AccountPorts {}

export const accountPortsFor = (_infra: SalesInfra): AccountPorts => ({});

export const accountHandlers: Record<string, RouteHandler<AccountPorts>> = {};
