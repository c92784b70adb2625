import type { RouteHandler } from '../shared/http-app.ts';
import type { SalesInfra } from './sales.infra.ts';

// The leads part of the sales function (issue 12): its ports, how they are built from the
// function's infrastructure, and its route handlers (keys: "METHOD /path" of LEAD_ROUTES).

export interface LeadPorts {}

export const leadPortsFor = (_infra: SalesInfra): LeadPorts => ({});

export const leadHandlers: Record<string, RouteHandler<LeadPorts>> = {};
