import { LeadCaptured } from '#events/lead-captured.event.ts';
import type { DomainEvent } from '#events/define-event.ts';
import { ConflictError, NotFoundError } from '../shared/errors.ts';
import type { Lead, LeadCaptureInput, LeadInput, LeadPatch, LeadStatus } from './lead.schema.ts';

// The lead's rules (pure): creation, the status moves, what a repeated capture changes, the honeypot.

export class LeadNotFoundError extends NotFoundError {
  constructor(id: string) {
    super(`No lead with id ${id}.`);
  }
}

export class LeadStatusMoveError extends ConflictError {
  override readonly code = 'status-move';
  constructor(from: LeadStatus, to: LeadStatus) {
    super(`A lead cannot move from ${from} to ${to}.`);
  }
}

/** One open lead per email: a staff create (or a reopen) for an email with an open lead is refused. */
export class LeadOpenError extends ConflictError {
  override readonly code = 'lead-open';
  readonly leadId: string;
  constructor(leadId: string) {
    super(`An open lead for this email exists already: ${leadId}.`);
    this.leadId = leadId;
  }
}

/**
 * new -> working -> qualified | disqualified; new may be disqualified at once (spam, wrong
 * person); a disqualified lead may be reopened to working; qualified waits for conversion (POST
 * /leads/{id}/convert, lead-conversion.ts), converted is final.
 */
const MOVES: Readonly<Record<LeadStatus, readonly LeadStatus[]>> = {
  new: ['working', 'disqualified'],
  working: ['qualified', 'disqualified'],
  qualified: [],
  disqualified: ['working'],
  converted: [],
};

/** Open leads hold their email's one-open-lead pointer; a second capture lands on them. */
export const isOpen = (status: LeadStatus) => status === 'new' || status === 'working';

/** A bot filled the hidden field: answer like a success, store and send nothing. */
export const isBot = (input: Pick<LeadCaptureInput, 'website'>) => (input.website ?? '').trim() !== '';

export interface LeadChange {
  readonly lead: Lead;
  readonly events: DomainEvent[];
}

type NewLead = Omit<LeadInput, 'notes' | 'ownerId' | 'partnerAccountId'> & Partial<Pick<LeadInput, 'notes' | 'ownerId' | 'partnerAccountId'>>;

export function createLead(input: NewLead, via: 'staff' | 'capture' | 'partner', customerId: string | null, id: string, now: Date): LeadChange {
  const at = now.toISOString();
  const lead: Lead = {
    id,
    email: input.email,
    firstName: input.firstName ?? null,
    lastName: input.lastName ?? null,
    company: input.company ?? null,
    source: input.source,
    campaignId: input.campaignId ?? null,
    notes: input.notes ?? null,
    ownerId: input.ownerId ?? null,
    status: 'new',
    customerId,
    partnerAccountId: input.partnerAccountId ?? null,
    convertedAt: null,
    conversion: null,
    captures: 1,
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
  return { lead, events: [LeadCaptured.of({ leadId: id, via, source: input.source, customerId, campaignId: lead.campaignId })] };
}

/**
 * The web form sent an email that has an open lead: count the capture, fill what the lead lacks
 * (never overwrite what staff wrote), link the customer if it has none yet.
 */
export function recapture(lead: Lead, input: LeadCaptureInput, customerId: string | null, now: Date): Lead {
  return {
    ...lead,
    firstName: lead.firstName ?? input.firstName ?? null,
    lastName: lead.lastName ?? input.lastName ?? null,
    company: lead.company ?? input.company ?? null,
    campaignId: lead.campaignId ?? input.campaignId ?? null,
    customerId: lead.customerId ?? customerId,
    captures: lead.captures + 1,
    updatedAt: now.toISOString(),
    version: lead.version + 1,
  };
}

export function patchLead(lead: Lead, patch: LeadPatch, now: Date): Lead {
  if (patch.status !== undefined && patch.status !== lead.status && !MOVES[lead.status].includes(patch.status)) {
    throw new LeadStatusMoveError(lead.status, patch.status);
  }
  const next: Lead = { ...lead };
  if (patch.status !== undefined) next.status = patch.status;
  for (const field of ['ownerId', 'notes', 'firstName', 'lastName', 'company', 'partnerAccountId'] as const) {
    if (patch[field] !== undefined) next[field] = patch[field];
  }
  const changed = JSON.stringify(next) !== JSON.stringify(lead);
  return changed ? { ...next, updatedAt: now.toISOString(), version: lead.version + 1 } : lead;
}
