import { OpportunityNotFoundError } from '#domain/sales/opportunity.ts';
import { type OpportunityUseCases, opportunityUseCases } from '#domain/sales/opportunity.use-cases.ts';
import { OpportunityInput, OpportunityPatch, READ_ONLY_OPPORTUNITY_FIELDS, type Opportunity } from '#domain/sales/opportunity.schema.ts';
import type { HttpRequest, RouteHandler } from '../shared/http-app.ts';
import { HttpError } from '../shared/http-error.ts';
import { DEFAULT_PAGE_SIZE, PathId } from '../shared/query.ts';
import { etag, idempotencyClaim, ifMatchVersion, json, jsonBody, queryParams } from '../shared/request.ts';
import { dynamoOpportunityRepository } from './opportunity.dynamodb-repository.ts';
import { OpportunityListQuery } from './opportunity.http.ts';
import { dynamoPipelineRepository } from './pipeline.dynamodb-repository.ts';
import type { SalesInfra } from './sales.infra.ts';
import { salesViewerOf } from './sales-viewer.ts';

// The opportunities part of the sales function (issue 12): its ports, how they are built from the
// function's infrastructure, and its route handlers (keys: "METHOD /path" of OPPORTUNITY_ROUTES).
// A partner user reaches list, read and patch, scoped to its own partner account (salesViewerOf).

export interface OpportunityPorts {
  readonly opportunities: OpportunityUseCases;
}

export const opportunityPortsFor = (infra: SalesInfra): OpportunityPorts => ({
  opportunities: opportunityUseCases({ opportunities: dynamoOpportunityRepository(infra), pipeline: dynamoPipelineRepository(infra), clock: infra.clock, ids: infra.ids }),
});

type Handler = RouteHandler<OpportunityPorts>;

function opportunityId(request: HttpRequest): string {
  const id = request.params.id ?? '';
  if (!PathId.safeParse(id).success) throw new OpportunityNotFoundError(id);
  return id;
}

const context = (request: HttpRequest, path?: string) => {
  const idempotency = path ? idempotencyClaim(request, path) : undefined;
  return { correlationId: request.correlationId, ...(idempotency ? { idempotency } : {}) };
};

function opportunityResponse(status: 200 | 201, o: Opportunity) {
  return json(status, o, { etag: etag(o.version), ...(status === 201 ? { location: `/opportunities/${encodeURIComponent(o.id)}` } : {}) });
}

const createOpportunity: Handler = async (request, app) => {
  const input = jsonBody(request, OpportunityInput, READ_ONLY_OPPORTUNITY_FIELDS);
  const actor = { id: request.principal?.sub ?? 'unknown', roles: request.principal?.roles ?? [] };
  return opportunityResponse(201, await app.opportunities.create(input, actor, context(request, '/opportunities')));
};

const listOpportunities: Handler = async (request, app) => {
  const { stage, owner, account, closingBefore, partner, limit, cursor } = queryParams(request, OpportunityListQuery);
  if ([stage, owner, account, closingBefore].filter((f) => f !== undefined).length > 1) throw new HttpError(400, 'Filter by one of stage, owner, account and closingBefore at a time (partner may come with it).');
  return json(200, await app.opportunities.list({ limit: limit ?? DEFAULT_PAGE_SIZE, cursor, stage, owner, account, closingBefore, partner }, salesViewerOf(request)));
};

const getOpportunity: Handler = async (request, app) => opportunityResponse(200, await app.opportunities.get(opportunityId(request), salesViewerOf(request)));

const patchOpportunity: Handler = async (request, app) => {
  const id = opportunityId(request);
  const ifMatch = ifMatchVersion(request);
  const patch = jsonBody(request, OpportunityPatch, READ_ONLY_OPPORTUNITY_FIELDS);
  return opportunityResponse(200, await app.opportunities.patch(id, patch, ifMatch, context(request), salesViewerOf(request)));
};

export const opportunityHandlers: Record<string, Handler> = {
  'POST /opportunities': createOpportunity,
  'GET /opportunities': listOpportunities,
  'GET /opportunities/{id}': getOpportunity,
  'PATCH /opportunities/{id}': patchOpportunity,
};
