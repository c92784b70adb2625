import * as z from '#domain/shared/zod.ts';
import { Lead, LeadCaptureInput, LeadInput, LeadPatch } from '#domain/sales/lead.schema.ts';
import { LeadConversionInput, LeadConversionResult } from '#domain/sales/lead-conversion.schema.ts';
import { LeadListQuery } from '#functions/sales/lead.http.ts';
import type { LEAD_ROUTES } from '../routes.ts';
import type { RouteSchemas } from '../topology.ts';
import { pageOf } from './page.ts';

type OperationId = (typeof LEAD_ROUTES)[number]['operationId'];

/** The lead routes' request and response schemas (issue 12). */
export const LEAD_ROUTE_SCHEMAS: Record<OperationId, RouteSchemas> = {
  createLead: {
    summary: 'Enter a lead; linked to the customer whose email identity matches; one open lead per email',
    body: LeadInput,
    responses: {
      201: { description: 'Created', schema: Lead, etag: true, location: true },
      409: { description: 'An open lead for this email exists (lead-open), or the linked customer is being erased' },
    },
  },
  captureLead: {
    summary:
      "The web form's endpoint (JSON or form-encoded; rate-limited per address): a new lead, or one more capture of the email's open lead; ticked consent topics start the double opt-in; the honeypot `website` must stay empty",
    body: LeadCaptureInput,
    responses: {
      202: { description: 'Received (the same answer whatever was known or stored)', schema: z.object({ received: z.literal(true) }) },
      409: { description: 'The customer of this email is being erased' },
      429: { description: 'Too many captures from here: retry after Retry-After seconds' },
    },
  },
  listLeads: {
    summary: 'Leads newest first, by status and/or owner',
    query: LeadListQuery,
    responses: { 200: { description: 'A page of leads', schema: pageOf(Lead) } },
  },
  getLead: {
    summary: 'Read a lead',
    responses: { 200: { description: 'The lead', schema: Lead, etag: true } },
  },
  patchLead: {
    summary: 'Work a lead (JSON merge patch): status new -> working -> qualified | disqualified (new may be disqualified, disqualified reopened), owner, notes, names, company',
    body: LeadPatch,
    responses: {
      200: { description: 'The updated lead', schema: Lead, etag: true },
      409: { description: 'The status move is not possible (status-move), or reopening would make a second open lead for the email (lead-open)' },
      412: { description: 'If-Match is stale' },
    },
  },
  deleteLead: {
    summary: "Erase a lead (GDPR: the personal data of someone who never became a customer); If-Match required",
    responses: { 204: { description: 'Erased' }, 412: { description: 'If-Match is stale' }, 428: { description: 'If-Match is missing' } },
  },
  convertLead: {
    summary:
      'Convert a lead in ONE transaction: the customer (the lead\'s, its email\'s, or a new one), the account (accountId links, accountName or the lead\'s company creates), the contact link, an optional opportunity, the lead (converted) and LeadConverted; If-Match optional; partners convert only their own leads',
    body: LeadConversionInput,
    responses: {
      200: { description: 'Converted: the lead, the customer and account (created or linked), the opportunity or null', schema: LeadConversionResult },
      403: { description: 'A partner user named accountId or opportunity.ownerId' },
      409: { description: 'The lead was converted already (lead-converted), is disqualified (status-move: reopen it first), or its customer is being erased or erased' },
      412: { description: 'If-Match is stale' },
      422: { description: 'accountId names no account (unknown-account), or there is no account name (no accountName and the lead has no company)' },
    },
  },
};
