import { routeKey, type RouteSpec } from '#infra/route-access.ts';
import { ACCOUNT_ROUTES, ACTIVITY_ROUTES, LEAD_ROUTES, OPPORTUNITY_ROUTES, PIPELINE_ROUTES, PRODUCT_ROUTES, SALES_ROUTES } from '#infra/route-lists/sales.route-list.ts';
import { httpApp, type RouteHandler } from '../shared/http-app.ts';
import { bindRoutes } from '../shared/bind-routes.ts';
import { lazyRoutes } from '../shared/lazy.ts';
import type { ActivityInfra } from './activity.part.ts';
import { type PartnerPorts, partnerGated, partnerPortsFor } from './partner.part.ts';

// Every request pays only for what every request needs: routing, auth, the partner gate and the
// table client. Each area (accounts and contacts, products and recommendations, leads with the
// public capture and the conversion, opportunities, the pipeline, activities) is a part module
// with its handlers, use cases and adapters, imported by the first request to one of its routes
// (its own chunk in the bundle); its ports are built then, once per container.


const keysOf = (routes: readonly RouteSpec[]) => routes.map(routeKey);

/** The routes of each area and how its module loads and builds its ports from the function's infrastructure. */
export function salesAreas(infra: ActivityInfra): Record<string, RouteHandler<unknown>> {
  return {
    ...lazyRoutes(keysOf(ACCOUNT_ROUTES), async () => {
      const { accountHandlers, accountPortsFor } = await import('./account.part.ts');
      return bindRoutes(accountPortsFor(infra), accountHandlers);
    }),
    ...lazyRoutes(keysOf(PRODUCT_ROUTES), async () => {
      const { productHandlers, productPortsFor } = await import('./product.part.ts');
      return bindRoutes(productPortsFor(infra), productHandlers);
    }),
    ...lazyRoutes(keysOf(LEAD_ROUTES), async () => {
      const { leadHandlers, leadPortsFor } = await import('./lead.part.ts');
      return bindRoutes(leadPortsFor(infra), leadHandlers);
    }),
    ...lazyRoutes(keysOf(OPPORTUNITY_ROUTES), async () => {
      const { opportunityHandlers, opportunityPortsFor } = await import('./opportunity.part.ts');
      return bindRoutes(opportunityPortsFor(infra), opportunityHandlers);
    }),
    ...lazyRoutes(keysOf(PIPELINE_ROUTES), async () => {
      const { pipelineHandlers, pipelinePortsFor } = await import('./pipeline.part.ts');
      return bindRoutes(pipelinePortsFor(infra), pipelineHandlers);
    }),
    ...lazyRoutes(keysOf(ACTIVITY_ROUTES), async () => {
      const { activityHandlers, activityPortsFor } = await import('./activity.part.ts');
      return bindRoutes(activityPortsFor(infra), activityHandlers);
    }),
  };
}

/**
 * The sales Lambda's handler (Lambda and local runtime alike): each area's routes from its lazily
 * loaded part; partner users pass the partner gate first, whose own adapter loads on its first check.
 */
export function salesHandler(infra: ActivityInfra) {
  return httpApp<PartnerPorts>(SALES_ROUTES, partnerGated<PartnerPorts>(salesAreas(infra)), partnerPortsFor(infra));
}
