import { ConcurrentUpdateError, StaleVersionError } from '../shared/errors.ts';
import type { Clock, CommandContext, IdGenerator } from '../shared/ports.ts';
import { createLead, isBot, LeadNotFoundError, LeadOpenError, patchLead, recapture } from './lead.ts';
import type { LeadConsents, LeadCustomers, LeadQuery, LeadRepository } from './lead.repository.ts';
import type { Lead, LeadCaptureInput, LeadInput, LeadPatch } from './lead.schema.ts';

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
  async function load(id: string): Promise<Lead> {
    const lead = await leads.get(id);
    if (!lead) throw new LeadNotFoundError(id);
    return lead;
  }

  return {
    /** POST /leads (staff): one open lead per email, so a second is a 409 naming the open one. */
    async create(input: LeadInput, context: CommandContext): Promise<Lead> {
      const customerId = (await customers.byEmail(input.email)) ?? null;
      for (let attempt = 1; ; attempt++) {
        const { lead, events } = createLead(input, 'staff', customerId, ids.next(), clock.now());
        const saved = await leads.create(lead, events, context);
        if ('lead' in saved) return saved.lead;
        const open = await leads.openLeadOf(input.email);
        if (open) throw new LeadOpenError(open.id);
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

    list: (query: LeadQuery) => leads.list(query),

    /** JSON merge patch; without If-Match a lost race is retried from a fresh read. */
    async patch(id: string, patch: LeadPatch, ifMatch: number | undefined, context: CommandContext): Promise<Lead> {
      for (let attempt = 1; ; attempt++) {
        const current = await load(id);
        if (ifMatch !== undefined && ifMatch !== current.version) throw new StaleVersionError(ifMatch, current.version);
        const next = patchLead(current, patch, clock.now());
        if (next === current) return current;
        const saved = await leads.update(current, next, [], context);
        if ('lead' in saved) return saved.lead;
        if (saved.refused === 'email-open') {
          const open = await leads.openLeadOf(current.email);
          if (open && open.id !== id) throw new LeadOpenError(open.id);
        }
        if (ifMatch !== undefined) throw new StaleVersionError(ifMatch, (await load(id)).version);
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
      // The index may hold an older version of a lead: each is read fresh and removed, again if it moved.
      const linked = await leads.leadsOf(customerId);
      for (const { id } of linked) {
        for (let attempt = 1; ; attempt++) {
          const current = await leads.get(id);
          if (!current || (await leads.remove(current))) break;
          if (attempt >= MAX_ATTEMPTS) throw new ConcurrentUpdateError();
        }
      }
      return linked.length;
    },
  };
}

export type LeadUseCases = ReturnType<typeof leadUseCases>;
