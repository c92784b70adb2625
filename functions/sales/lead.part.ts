import { LeadInput, LeadPatch } from '#domain/sales/lead.schema.ts';
import type { RouteHandler } from '../shared/http-app.ts';
import { DEFAULT_PAGE_SIZE } from '../shared/query.ts';
import { rateClient, rateLimited, type RateLimiter } from '../shared/rate-limit.ts';
import { ifMatchVersion, json, jsonBody, noContent, queryParams, requiredIfMatchVersion } from '../shared/request.ts';
import type { LeadUseCases } from '#domain/sales/lead.use-cases.ts';
import { leadAppFor } from './lead.composition.ts';
import { type LeadConversionPorts, leadConversionHandlers, leadConversionPortsFor } from './lead-conversion.part.ts';
import { captureBody, contextOf, LeadListQuery, leadIdParam, leadResponse, READ_ONLY } from './lead.http.ts';
import type { SalesInfra } from './sales.infra.ts';
import { salesViewerOf } from './sales-viewer.ts';

// The leads part of the sales function (issue 12): its ports, how they are built from the
// function's infrastructure, and its route handlers (keys: "METHOD /path" of LEAD_ROUTES).
// A partner user reaches create (deal registration), list, read, patch and convert, scoped to its
// own partner account (salesViewerOf). The conversion (POST /leads/{id}/convert) brings its own
// ports and handler from lead-conversion.part.ts.

export interface LeadPorts extends LeadConversionPorts {
  readonly leads: LeadUseCases;
  readonly captureLimit: RateLimiter;
}

export const leadPortsFor = (infra: SalesInfra): LeadPorts => ({ ...leadAppFor(infra), ...leadConversionPortsFor(infra) });

type Handler = RouteHandler<LeadPorts>;

const createLead: Handler = async (request, app) => {
  const input = jsonBody(request, LeadInput, READ_ONLY);
  return leadResponse(201, await app.leads.create(input, contextOf(request, '/leads'), salesViewerOf(request)));
};

/**
 * POST /leads/capture (public). Valid captures count against the address's limit (a honeypot one
 * too: a bot sees the same answers a person would); the answer never says whether the email was
 * known, a lead existed, or anything was stored.
 */
const captureLead: Handler = async (request, app) => {
  const input = captureBody(request);
  const verdict = await app.captureLimit.take(rateClient(request));
  if (!verdict.allowed) return rateLimited(verdict.retryAfterSeconds);
  const userAgent = request.headers['user-agent']?.slice(0, 512);
  await app.leads.capture(input, { baseUrl: request.baseUrl, ...(userAgent ? { userAgent } : {}) }, contextOf(request));
  return json(202, { received: true });
};

const listLeads: Handler = async (request, app) => {
  const { limit, ...filters } = queryParams(request, LeadListQuery);
  return json(200, await app.leads.list({ limit: limit ?? DEFAULT_PAGE_SIZE, ...filters }, salesViewerOf(request)));
};

const getLead: Handler = async (request, app) => leadResponse(200, await app.leads.get(leadIdParam(request), salesViewerOf(request)));

const patchLead: Handler = async (request, app) => {
  const id = leadIdParam(request);
  const ifMatch = ifMatchVersion(request);
  const patch = jsonBody(request, LeadPatch, READ_ONLY);
  return leadResponse(200, await app.leads.patch(id, patch, ifMatch, contextOf(request), salesViewerOf(request)));
};

const deleteLead: Handler = async (request, app) => {
  const id = leadIdParam(request);
  await app.leads.erase(id, requiredIfMatchVersion(request), contextOf(request));
  return noContent();
};

export const leadHandlers: Record<string, Handler> = {
  'POST /leads': createLead,
  'POST /leads/capture': captureLead,
  'GET /leads': listLeads,
  'GET /leads/{id}': getLead,
  'PATCH /leads/{id}': patchLead,
  'DELETE /leads/{id}': deleteLead,
  ...leadConversionHandlers,
};
