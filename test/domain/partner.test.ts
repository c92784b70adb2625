import { describe, expect, it } from 'vitest';
import type { LeadQuery, LeadRepository } from '../../domain/sales/lead.repository.ts';
import type { Lead } from '../../domain/sales/lead.schema.ts';
import { LeadNotFoundError, LeadOpenError } from '../../domain/sales/lead.ts';
import { leadUseCases } from '../../domain/sales/lead.use-cases.ts';
import type { OpportunityQuery, OpportunityRepository } from '../../domain/sales/opportunity.ports.ts';
import type { Opportunity } from '../../domain/sales/opportunity.schema.ts';
import { OpportunityNotFoundError } from '../../domain/sales/opportunity.ts';
import { opportunityUseCases } from '../../domain/sales/opportunity.use-cases.ts';
import { STAFF_VIEWER } from '../../domain/sales/partner-scope.ts';
import { DealRegisteredError, listingPartner, NotAPartnerError, PartnerForbiddenError, refuseStaffOnlyFields, registrationPartner } from '../../domain/sales/partner.ts';
import { fakeClock, sequentialIds } from '../support/fakes.ts';
import { DEFAULT_PIPELINE } from '#domain/sales/pipeline-stages.ts';

// Partner relationship management, the rules and the lead and opportunity use cases as a partner
// user and as staff, over in-memory stores that check assignments as the DynamoDB adapters do.

const A = { kind: 'partner', accountId: 'partner-a' } as const;
const B = { kind: 'partner', accountId: 'partner-b' } as const;
const PARTNERS = new Set(['partner-a', 'partner-b']);
const ctx = { correlationId: 'partner-test' };

describe('partner rules', () => {
  it('a partner may not name the owner or the assignment; staff may', () => {
    expect(() => refuseStaffOnlyFields(A, { ownerId: 'rep-1' })).toThrow(PartnerForbiddenError);
    expect(() => refuseStaffOnlyFields(A, { partnerAccountId: null })).toThrow(PartnerForbiddenError);
    expect(() => refuseStaffOnlyFields(A, { partnerAccountId: 'partner-a' })).toThrow(PartnerForbiddenError);
    expect(() => refuseStaffOnlyFields(A, {})).not.toThrow();
    expect(() => refuseStaffOnlyFields(STAFF_VIEWER, { ownerId: 'rep-1', partnerAccountId: 'partner-b' })).not.toThrow();
  });

  it("a partner's registration is its own account: naming its own is fine, another one (or none) is 403", () => {
    expect(registrationPartner(A, undefined)).toBe('partner-a');
    expect(registrationPartner(A, 'partner-a')).toBe('partner-a');
    expect(() => registrationPartner(A, 'partner-b')).toThrow(PartnerForbiddenError);
    expect(() => registrationPartner(A, null)).toThrow(PartnerForbiddenError);
    expect(registrationPartner(STAFF_VIEWER, undefined)).toBeNull();
    expect(registrationPartner(STAFF_VIEWER, null)).toBeNull();
    expect(registrationPartner(STAFF_VIEWER, 'partner-b')).toBe('partner-b');
  });

  it("a partner's listing is always its own partition; staff's as asked", () => {
    expect(listingPartner(A, undefined)).toBe('partner-a');
    expect(listingPartner(A, 'partner-a')).toBe('partner-a');
    expect(() => listingPartner(A, 'partner-b')).toThrow(PartnerForbiddenError);
    expect(listingPartner(STAFF_VIEWER, undefined)).toBeUndefined();
    expect(listingPartner(STAFF_VIEWER, 'partner-b')).toBe('partner-b');
  });
});

/** Leads in memory: one open lead per email, assignments to partner accounts only (as the transaction checks). */
function leadStore() {
  const leads = new Map<string, Lead>();
  const open = new Map<string, string>();
  const listed: LeadQuery[] = [];
  const repo: LeadRepository = {
    get: async (id) => leads.get(id),
    openLeadOf: async (email) => (open.has(email) ? leads.get(open.get(email)!) : undefined),
    async list(query) {
      listed.push(query);
      return { items: [...leads.values()].filter((l) => !query.partner || l.partnerAccountId === query.partner), nextCursor: null };
    },
    async create(lead) {
      if (lead.partnerAccountId && !PARTNERS.has(lead.partnerAccountId)) return { refused: 'not-a-partner' };
      if (open.has(lead.email)) return { refused: 'email-open' };
      leads.set(lead.id, lead);
      open.set(lead.email, lead.id);
      return { lead };
    },
    async update(previous, next) {
      if (next.partnerAccountId !== previous.partnerAccountId && next.partnerAccountId && !PARTNERS.has(next.partnerAccountId)) return { refused: 'not-a-partner' };
      if (leads.get(previous.id)?.version !== previous.version) return { refused: 'moved' };
      leads.set(next.id, next);
      return { lead: next };
    },
    remove: async () => true,
    leadsOf: async () => [],
    unlinkedLeadsOf: async () => [],
  };
  const useCases = leadUseCases({
    leads: repo,
    customers: { byEmail: async () => undefined, ensure: async () => 'c' },
    consents: { request: async () => true },
    clock: fakeClock('2026-01-01T00:00:00.000Z'),
    ids: sequentialIds('lead'),
  });
  return { useCases, leads, listed };
}

describe('leads as a partner', () => {
  it('a registration is assigned to its own account; staff assign any partner, never a non-partner (422)', async () => {
    const { useCases, leads } = leadStore();
    const registered = await useCases.create({ email: 'a@example.com', source: 'portal' }, ctx, A);
    expect(registered).toMatchObject({ partnerAccountId: 'partner-a', source: 'portal', ownerId: null });
    await expect(useCases.create({ email: 'b@example.com', source: 'portal', partnerAccountId: 'partner-b' }, ctx, A)).rejects.toThrow(PartnerForbiddenError);
    await expect(useCases.create({ email: 'b@example.com', source: 'portal', ownerId: 'rep-1' }, ctx, A)).rejects.toThrow(PartnerForbiddenError);
    expect((await useCases.create({ email: 'b@example.com', source: 'fair', partnerAccountId: 'partner-b' }, ctx)).partnerAccountId).toBe('partner-b');
    const refused = useCases.create({ email: 'c@example.com', source: 'fair', partnerAccountId: 'customer-co' }, ctx);
    await expect(refused).rejects.toThrow(NotAPartnerError);
    await expect(refused).rejects.toMatchObject({ code: 'not-a-partner' });
    expect(leads.size).toBe(2);
  });

  it("another partner's or an unassigned lead is the same not-found as a missing one, for reads and writes", async () => {
    const { useCases, leads } = leadStore();
    const ofB = await useCases.create({ email: 'b@example.com', source: 'fair', partnerAccountId: 'partner-b' }, ctx);
    const house = await useCases.create({ email: 'h@example.com', source: 'fair' }, ctx);
    for (const id of [ofB.id, house.id, 'missing']) {
      await expect(useCases.get(id, A)).rejects.toThrow(LeadNotFoundError);
      await expect(useCases.patch(id, { notes: 'x' }, undefined, ctx, A)).rejects.toThrow(LeadNotFoundError);
      // Not found comes first: naming a staff-only field on someone else's lead tells nothing either.
      await expect(useCases.patch(id, { ownerId: 'me' }, 1, ctx, A)).rejects.toThrow(LeadNotFoundError);
    }
    expect(leads.get(ofB.id)).toEqual(ofB);
    expect(await useCases.get(ofB.id, B)).toEqual(ofB);
    expect(await useCases.get(house.id)).toEqual(house);
  });

  it('works its own lead but never the owner or the assignment', async () => {
    const { useCases } = leadStore();
    const own = await useCases.create({ email: 'a@example.com', source: 'portal' }, ctx, A);
    expect(await useCases.patch(own.id, { status: 'working', notes: 'called' }, undefined, ctx, A)).toMatchObject({ status: 'working', notes: 'called', version: 2 });
    await expect(useCases.patch(own.id, { ownerId: 'me' }, undefined, ctx, A)).rejects.toThrow(PartnerForbiddenError);
    await expect(useCases.patch(own.id, { partnerAccountId: null }, undefined, ctx, A)).rejects.toThrow(PartnerForbiddenError);
    // Staff reassign, and a non-partner is refused with nothing changed.
    expect((await useCases.patch(own.id, { partnerAccountId: 'partner-b' }, undefined, ctx)).partnerAccountId).toBe('partner-b');
    await expect(useCases.patch(own.id, { partnerAccountId: 'customer-co' }, undefined, ctx)).rejects.toThrow(NotAPartnerError);
    expect((await useCases.get(own.id)).partnerAccountId).toBe('partner-b');
  });

  it("a registration clashing with another's open lead hears neither its id nor its owner; with its own, the id", async () => {
    const { useCases } = leadStore();
    const ofB = await useCases.create({ email: 'b@example.com', source: 'fair', partnerAccountId: 'partner-b' }, ctx);
    const clash = useCases.create({ email: 'b@example.com', source: 'portal' }, ctx, A);
    await expect(clash).rejects.toThrow(DealRegisteredError);
    await expect(clash).rejects.toMatchObject({ code: 'lead-open' });
    await expect(clash).rejects.not.toHaveProperty('leadId');
    expect(((await clash.catch((e: Error) => e)) as Error).message).not.toContain(ofB.id);
    await expect(useCases.create({ email: 'b@example.com', source: 'portal' }, ctx, B)).rejects.toThrow(LeadOpenError);
  });

  it("lists its own partition whatever it asks, and another partner's is 403", async () => {
    const { useCases, listed } = leadStore();
    await useCases.list({ limit: 10, status: 'new' }, A);
    await useCases.list({ limit: 10 });
    expect(listed).toEqual([
      { limit: 10, status: 'new', partner: 'partner-a' },
      { limit: 10 },
    ]);
    expect(() => useCases.list({ limit: 10, partner: 'partner-b' }, A)).toThrow(PartnerForbiddenError);
  });
});

/** Opportunities in memory, assignments checked as the transaction checks them. */
function opportunityStore() {
  const opportunities = new Map<string, Opportunity>();
  const listed: OpportunityQuery[] = [];
  const repo: OpportunityRepository = {
    get: async (id) => opportunities.get(id),
    async list(query) {
      listed.push(query);
      return { items: [], nextCursor: null };
    },
    async create(o) {
      if (o.partnerAccountId && !PARTNERS.has(o.partnerAccountId)) return { refused: 'not-a-partner' };
      opportunities.set(o.id, o);
      return { saved: o };
    },
    async update(previous, next) {
      if (next.partnerAccountId !== previous.partnerAccountId && next.partnerAccountId && !PARTNERS.has(next.partnerAccountId)) return { refused: 'not-a-partner' };
      opportunities.set(next.id, next);
      return { saved: next };
    },
  };
  return { useCases: opportunityUseCases({ opportunities: repo, pipeline: { stages: async () => DEFAULT_PIPELINE }, clock: fakeClock('2026-01-01T00:00:00.000Z'), ids: sequentialIds('opp') }), opportunities, listed };
}

describe('opportunities as a partner', () => {
  const deal = { accountId: 'acme', name: 'Deal', amount: 100, currency: 'EUR', closeDate: '2026-06-30' };
  const staff = { id: 'rep-1', roles: ['agent'] };

  it('staff assign to partners only (422 not-a-partner), reassign and unassign', async () => {
    const { useCases } = opportunityStore();
    const o = await useCases.create({ ...deal, partnerAccountId: 'partner-a' }, staff, ctx);
    expect(o.partnerAccountId).toBe('partner-a');
    await expect(useCases.create({ ...deal, partnerAccountId: 'acme' }, staff, ctx)).rejects.toThrow(NotAPartnerError);
    await expect(useCases.patch(o.id, { partnerAccountId: 'acme' }, undefined, ctx)).rejects.toThrow(NotAPartnerError);
    expect((await useCases.patch(o.id, { partnerAccountId: null }, undefined, ctx)).partnerAccountId).toBeNull();
  });

  it("works its own, never sees or changes another's, never names owner or assignment", async () => {
    const { useCases, opportunities, listed } = opportunityStore();
    const own = await useCases.create({ ...deal, partnerAccountId: 'partner-a' }, staff, ctx);
    const ofB = await useCases.create({ ...deal, partnerAccountId: 'partner-b' }, staff, ctx);
    const house = await useCases.create(deal, staff, ctx);
    expect(await useCases.patch(own.id, { stage: 'proposal', amount: 250 }, undefined, ctx, A)).toMatchObject({ stage: 'proposal', amount: 250 });
    for (const id of [ofB.id, house.id]) {
      await expect(useCases.get(id, A)).rejects.toThrow(OpportunityNotFoundError);
      await expect(useCases.patch(id, { stage: 'lost', lostReason: 'x' }, undefined, ctx, A)).rejects.toThrow(OpportunityNotFoundError);
    }
    expect(opportunities.get(ofB.id)).toEqual(ofB);
    await expect(useCases.patch(own.id, { ownerId: 'me' }, undefined, ctx, A)).rejects.toThrow(PartnerForbiddenError);
    await expect(useCases.patch(own.id, { partnerAccountId: 'partner-b' }, undefined, ctx, A)).rejects.toThrow(PartnerForbiddenError);
    await useCases.list({ limit: 5, stage: 'proposal' }, A);
    expect(listed).toEqual([{ limit: 5, stage: 'proposal', partner: 'partner-a' }]);
    await expect(useCases.list({ limit: 5, partner: 'partner-b' }, A)).rejects.toThrow(PartnerForbiddenError);
  });
});
