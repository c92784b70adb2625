import type { RouteHandler } from '../shared/http-app.ts';
import type { SalesInfra } from './sales.infra.ts';

// The activities part of the sales function (issue 12): its ports, how they are built from the
// function's infrastructure, and its route handlers (keys: "METHOD /path" of ACTIVITY_ROUTES).

export interface ActivityPorts {}

export const activityPortsFor = (_infra: SalesInfra): ActivityPorts => ({});

export const activityHandlers: Record<string, RouteHandler<ActivityPorts>> = {};
