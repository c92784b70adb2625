import { Opportunity, OpportunityInput, OpportunityPatch } from '#domain/sales/opportunity.schema.ts';
import { OpportunityListQuery } from '#functions/sales/opportunity.http.ts';
import type { OPPORTUNITY_ROUTES } from '../routes.ts';
import type { RouteSchemas } from '../topology.ts';
import { pageOf } from './page.ts';

type OperationId = (typeof OPPORTUNITY_ROUTES)[number]['operationId'];

/** The opportunities routes' request and response schemas (issue 12). */
export const OPPORTUNITY_ROUTE_SCHEMAS: Record<OperationId, RouteSchemas> = {
  createOpportunity: {
    summary: 'Create an opportunity on an account, in an open stage of the pipeline (the first by default; probability defaults to the stage default, ownerId to the caller)',
    body: OpportunityInput,
    responses: {
      201: { description: 'Created', schema: Opportunity, etag: true, location: true },
      422: { description: 'The account does not exist (unknown-account), or the stage is not in the pipeline (unknown-stage)' },
    },
  },
  listOpportunities: {
    summary: 'Opportunities newest first; filter by one of stage, owner, account, or closingBefore (closeDate before that day, soonest first)',
    query: OpportunityListQuery,
    responses: { 200: { description: 'A page of opportunities', schema: pageOf(Opportunity) } },
  },
  getOpportunity: {
    summary: 'Read an opportunity',
    responses: { 200: { description: 'The opportunity', schema: Opportunity, etag: true } },
  },
  patchOpportunity: {
    summary: 'Change an opportunity (JSON merge patch); a stage change is kept in stageHistory; won and lost are final (closeDate today unless named), lost needs lostReason',
    body: OpportunityPatch,
    responses: {
      200: { description: 'The updated opportunity', schema: Opportunity, etag: true },
      409: { description: 'The opportunity is won or lost (final)' },
      412: { description: 'If-Match is stale' },
      422: { description: 'The stage is not in the pipeline (unknown-stage)' },
    },
  },
};
