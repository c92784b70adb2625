import type { DomainEvent } from '#events/define-event.ts';
import type { CommandContext } from '../shared/ports.ts';
import type { Lead, LeadStatus } from './lead.schema.ts';

// Ports of the leads part: the lead store, and what leads need of the customers and consent contexts.

export interface LeadPage {
  readonly items: Lead[];
  readonly nextCursor: string | null;
}

export interface LeadQuery {
  readonly limit: number;
  readonly cursor?: string | undefined;
  readonly status?: LeadStatus | undefined;
  readonly owner?: string | undefined;
  /** The partner account's leads only (its index partition; status and owner then filter within it). */
  readonly partner?: string | undefined;
}

/**
 * Why a save did not commit: `email-open` another open lead holds the email's pointer; `moved` the
 * version moved; `not-a-partner` the assignment names no partner account (checked in the transaction).
 */
export type LeadSaveRefusal = 'email-open' | 'moved' | 'not-a-partner';

export interface LeadRepository {
  get(id: string): Promise<Lead | undefined>;
  /** The open (new or working) lead of this email, if any. */
  openLeadOf(email: string): Promise<Lead | undefined>;
  list(query: LeadQuery): Promise<LeadPage>;
  /**
   * Writes a new lead, its email's open-lead pointer (only if none exists) and its events in one
   * transaction (with the linked customer's erasure guard, and the partner account's check when
   * assigned); an idempotent create returns the first result.
   */
  create(lead: Lead, events: DomainEvent[], context: CommandContext): Promise<{ lead: Lead } | { refused: LeadSaveRefusal }>;
  /** Replaces `previous` (version check); the pointer follows the lead in and out of the open statuses; a new assignment checks the partner account. */
  update(previous: Lead, next: Lead, events: DomainEvent[], context: CommandContext): Promise<{ lead: Lead } | { refused: LeadSaveRefusal }>;
  /** Deletes the lead, its pointer and its creation's idempotency record; false if the version moved. */
  remove(lead: Lead): Promise<boolean>;
  /** The ids of the leads linked to a customer (for its erasure). */
  leadsOf(customerId: string): Promise<Lead[]>;
  /** The leads of this email linked to no customer (for the erasure of the customer who has the email). */
  unlinkedLeadsOf(email: string): Promise<Lead[]>;
}

/** What leads need of the customers context: the email identity, and a customer for a double opt-in. */
export interface LeadCustomers {
  /** The customer whose email identity this is (a merged-away one resolves to where it went). */
  byEmail(email: string): Promise<string | undefined>;
  /** Creates a customer (source `lead`) for this person, or finds the one that took the email meanwhile. */
  ensure(person: { email: string; firstName?: string | undefined; lastName?: string | undefined }, context: CommandContext): Promise<string>;
}

/** What leads need of the consent context: start the existing double opt-in for one topic. */
export interface LeadConsents {
  /** Starts the double opt-in (pending, ConsentRequested, the confirmation mail); false for a topic that does not exist. */
  request(customerId: string, topic: string, origin: { ip?: string; userAgent?: string }, baseUrl: string, context: CommandContext): Promise<boolean>;
}
