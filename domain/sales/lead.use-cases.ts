import { ConcurrentUpdateError, StaleVersionError } from '../shared/errors.ts';
import type { Clock, CommandContext, IdGenerator } from '../shared/ports.ts';
import { createLead, isBot, LeadNotFoundError, LeadOpenError, patchLead, recapture } from './lead.ts';
import { canSee, type SalesViewer, STAFF_VIEWER, visibleOr } from './partner-scope.ts';
import { DealRegisteredError, listingPartner, NotAPartnerError, refuseStaffOnlyFields, registrationPartner } from './partner.ts';
import type { LeadConsents, LeadCustomers, LeadQuery, LeadRepository } from './lead.repository.ts';
import type { Lead, LeadCaptureInput, LeadInput, LeadPatch } from './lead.schema.ts';
import { eraseLeads } from './lead-erasure.ts';

export interface LeadDeps {
  readonly leads: LeadRepository;
  readonly customers: LeadCustomers;
  readonly consents: LeadConsents;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

/** Rounds of a lost race (two captures of one email at once) before giving up with a 409. */
const MAX_ATTEMPTS = 10;

export interface CaptureOrigin {
  readonly ip?: string;
  readonly userAgent?: string;
  readonly baseUrl: string;
}

export function leadUseCases({ leads, customers, consents, clock, ids }: LeadDeps) {
  /** The lead if `viewer` may see it; a partner's view of another's lead is the same 404 as a missing id. */
  async function load(id: string, viewer: SalesViewer = STAFF_VIEWER): Promise<Lead> {
    return visibleOr(viewer, await leads.get(id), () => new LeadNotFoundError(id));
  }

  /** The open lead holding `email`, as the viewer may hear of it: a partner learns neither id nor owner of one it does not see. */
  function openConflict(open: Lead, viewer: SalesViewer): Error {
    return canSee(viewer, open) ? new LeadOpenError(open.id) : new DealRegisteredError();
  }

  return {
    /**
     * POST /leads (staff, or a partner's deal registration: assigned to its own partner account).
     * One open lead per email, so a second is a 409 naming the open one (a partner hears only that
     * the deal is registered). The partner account is checked in the write's transaction.
     */
    async create(input: LeadInput, context: CommandContext, viewer: SalesViewer = STAFF_VIEWER): Promise<Lead> {
      refuseStaffOnlyFields(viewer, { ownerId: input.ownerId });
      const assigned: LeadInput = { ...input, partnerAccountId: registrationPartner(viewer, input.partnerAccountId) };
      const customerId = (await customers.byEmail(input.email)) ?? null;
      for (let attempt = 1; ; attempt++) {
        const { lead, events } = createLead(assigned, viewer.kind, customerId, ids.next(), clock.now());
        const saved = await leads.create(lead, events, context);
        if ('lead' in saved) return saved.lead;
        if (saved.refused === 'not-a-partner') throw new NotAPartnerError(lead.partnerAccountId ?? '');
        const open = await leads.openLeadOf(input.email);
        if (open) throw openConflict(open, viewer);
        if (attempt >= MAX_ATTEMPTS) throw new ConcurrentUpdateError();
      }
    },

    /**
     * POST /leads/capture (public). flow: 1. a bot (honeypot filled) stops here, nothing stored
     * 2. link the customer of the email identity; with consent boxes ticked and no customer, create
     * one (the ledger is per customer) 3. a new lead, or the open lead of this email counts one
     * more capture (one open lead per email: the pointer's conditional put decides races) 4. each
     * ticked topic starts the double opt-in; unknown topics are ignored (a stale form must not fail).
     * Returns whether anything was stored (for tests; the public answer is the same either way).
     */
    async capture(input: LeadCaptureInput, origin: CaptureOrigin, context: CommandContext): Promise<{ stored: boolean }> {
      if (isBot(input)) return { stored: false };
      const topics = [...new Set(input.consents ?? [])];
      let customerId = (await customers.byEmail(input.email)) ?? null;
      if (!customerId && topics.length > 0) customerId = await customers.ensure(input, context);
      for (let attempt = 1; ; attempt++) {
        const open = await leads.openLeadOf(input.email);
        const saved = open
          ? await leads.update(open, recapture(open, input, customerId, clock.now()), [], context)
          : await (() => {
              const { lead, events } = createLead(input, 'capture', customerId, ids.next(), clock.now());
              return leads.create(lead, events, context);
            })();
        if ('lead' in saved) break;
        if (attempt >= MAX_ATTEMPTS) throw new ConcurrentUpdateError();
      }
      if (customerId) {
        const where = { ...(origin.ip ? { ip: origin.ip } : {}), ...(origin.userAgent ? { userAgent: origin.userAgent } : {}) };
        for (const topic of topics) await consents.request(customerId, topic, where, origin.baseUrl, context);
      }
      return { stored: true };
    },

    get: load,

    /** A partner user's listing is always its own partner partition (another account's is 403). */
    list: (query: LeadQuery, viewer: SalesViewer = STAFF_VIEWER) => {
      const partner = listingPartner(viewer, query.partner);
      return leads.list({ ...query, ...(partner ? { partner } : {}) });
    },

    /**
     * JSON merge patch; without If-Match a lost race is retried from a fresh read. A partner user
     * works only its own leads (others are 404) and never names the owner or the assignment (403).
     */
    async patch(id: string, patch: LeadPatch, ifMatch: number | undefined, context: CommandContext, viewer: SalesViewer = STAFF_VIEWER): Promise<Lead> {
      for (let attempt = 1; ; attempt++) {
        const current = await load(id, viewer);
        refuseStaffOnlyFields(viewer, patch);
        if (ifMatch !== undefined && ifMatch !== current.version) throw new StaleVersionError(ifMatch, current.version);
        const next = patchLead(current, patch, clock.now());
        if (next === current) return current;
        const saved = await leads.update(current, next, [], context);
        if ('lead' in saved) return saved.lead;
        if (saved.refused === 'not-a-partner') throw new NotAPartnerError(next.partnerAccountId ?? '');
        if (saved.refused === 'email-open') {
          const open = await leads.openLeadOf(current.email);
          if (open && open.id !== id) throw openConflict(open, viewer);
        }
        if (ifMatch !== undefined) throw new StaleVersionError(ifMatch, (await load(id, viewer)).version);
        if (attempt >= MAX_ATTEMPTS) throw new ConcurrentUpdateError();
      }
    },

    /** DELETE /leads/{id}: the person's data on the lead goes (GDPR erasure of someone who never became a customer). */
    async erase(id: string, ifMatch: number, _context: CommandContext): Promise<void> {
      const current = await load(id);
      if (ifMatch !== current.version) throw new StaleVersionError(ifMatch, current.version);
      if (!(await leads.remove(current))) throw new StaleVersionError(ifMatch, (await load(id)).version);
    },

    /** CustomerErased: the leads linked to the erased customer go with it. */
    async eraseCustomerLeads(customerId: string): Promise<number> {
      const linked = await leads.leadsOf(customerId);
      await eraseLeads(leads, linked, () => true);
      return linked.length;
    },
  };
}

export type LeadUseCases = ReturnType<typeof leadUseCases>;
