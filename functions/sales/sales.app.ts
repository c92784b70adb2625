import { SALES_ROUTES } from '#infra/routes.ts';
import { httpApp, type RouteHandler } from '../shared/http-app.ts';
import { type AccountPorts, accountHandlers, accountPortsFor } from './account.part.ts';
import { type LeadPorts, leadHandlers, leadPortsFor } from './lead.part.ts';
import { type ProductPorts, productHandlers, productPortsFor } from './product.part.ts';
import { type OpportunityPorts, opportunityHandlers, opportunityPortsFor } from './opportunity.part.ts';
import { type PipelinePorts, pipelineHandlers, pipelinePortsFor } from './pipeline.part.ts';
import { type ActivityInfra, type ActivityPorts, activityHandlers, activityPortsFor } from './activity.part.ts';
import { type PartnerPorts, partnerGated, partnerPortsFor } from './partner.part.ts';
import type { SalesInfra } from './sales.infra.ts';

export type SalesPorts = AccountPorts & ProductPorts & LeadPorts & OpportunityPorts & PipelinePorts & ActivityPorts & PartnerPorts;

/** The sales ports of every part, from the function's infrastructure (Lambda and local runtime alike). */
export const salesPortsFor = (infra: ActivityInfra): SalesPorts => ({
  ...accountPortsFor(infra),
  ...productPortsFor(infra),
  ...leadPortsFor(infra),
  ...opportunityPortsFor(infra),
  ...pipelinePortsFor(infra),
  ...activityPortsFor(infra),
  ...partnerPortsFor(infra),
});

/** The sales Lambda's handler: each part brings the handlers of its routes; partner users pass the partner gate first. */
export function salesHandler(ports: SalesPorts) {
  const handlers: Record<string, RouteHandler<SalesPorts>> = partnerGated<SalesPorts>({
    ...accountHandlers,
    ...productHandlers,
    ...leadHandlers,
    ...opportunityHandlers,
    ...pipelineHandlers,
    ...activityHandlers,
  });
  return httpApp(SALES_ROUTES, handlers, ports);
}
