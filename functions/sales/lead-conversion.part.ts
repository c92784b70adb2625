import { LeadConversionInput } from '#domain/sales/lead-conversion.schema.ts';
import type { LeadConversionUseCases } from '#domain/sales/lead-conversion.use-cases.ts';
import type { RouteHandler } from '../shared/http-app.ts';
import { lazyPort } from '../shared/lazy.ts';
import { ifMatchVersion, json, jsonBody } from '../shared/request.ts';
import { contextOf, leadIdParam } from './lead.http.ts';
import type { SalesInfra } from './sales.infra.ts';
import { salesViewerOf } from './sales-viewer.ts';

// The lead conversion (issue 12): POST /leads/{id}/convert, one of the LEAD_ROUTES. Its ports and
// handler live here and join the leads part (lead.part.ts).

export interface LeadConversionPorts {
  readonly conversions: LeadConversionUseCases;
}

/** The conversion's use case and store (accounts, customers, opportunities) load on the first conversion, not with the other lead routes. */
export const leadConversionPortsFor = (infra: SalesInfra): LeadConversionPorts => ({
  conversions: lazyPort(async () => (await import('./lead-conversion.composition.ts')).leadConversionsFor(infra)),
});

const convertLead: RouteHandler<LeadConversionPorts> = async (request, app) => {
  const id = leadIdParam(request);
  const ifMatch = ifMatchVersion(request);
  const input = jsonBody(request, LeadConversionInput);
  const actor = { id: request.principal?.sub ?? 'unknown', roles: request.principal?.roles ?? [] };
  const context = contextOf(request, `/leads/${id}/convert`);
  return json(200, await app.conversions.convert(id, input, salesViewerOf(request), actor, ifMatch, context));
};

export const leadConversionHandlers: Record<string, RouteHandler<LeadConversionPorts>> = {
  'POST /leads/{id}/convert': convertLead,
};
