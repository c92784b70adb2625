import type { RouteHandler } from '../shared/http-app.ts';
import type { SalesInfra } from './sales.infra.ts';

// The opportunities part of the sales function (issue 12): its ports, how they are built from the
// function's infrastructure, and its route handlers (keys: "METHOD /path" of OPPORTUNITY_ROUTES).

export interface OpportunityPorts {}

export const opportunityPortsFor = (_infra: SalesInfra): OpportunityPorts => ({});

export const opportunityHandlers: Record<string, RouteHandler<OpportunityPorts>> = {};
