import { describe, expect, it } from 'vitest';
import type { LeadConsents, LeadCustomers, LeadRepository } from '../../domain/sales/lead.repository.ts';
import type { Lead } from '../../domain/sales/lead.schema.ts';
import { createLead, isBot, isOpen, LeadOpenError, LeadStatusMoveError, patchLead, recapture } from '../../domain/sales/lead.ts';
import { eraseUnlinkedLeads } from '../../domain/sales/lead-erasure.ts';
import { leadUseCases } from '../../domain/sales/lead.use-cases.ts';
import { fakeClock, sequentialIds } from '../support/fakes.ts';

const NOW = new Date('2025-03-01T10:00:00.000Z');
const LATER = new Date('2025-03-02T10:00:00.000Z');
const ctx = { correlationId: 'lead-test' };
const newLead = (extra: Partial<Lead> = {}): Lead => ({ ...createLead({ email: 'ada@example.com', source: 'web' }, 'staff', null, 'lead-1', NOW).lead, ...extra });

describe('lead rules', () => {
  it('starts new, version 1, with the seams of later parts empty, and emits LeadCaptured without the email', () => {
    const { lead, events } = createLead({ email: 'ada@example.com', firstName: 'Ada', source: 'fair', campaignId: 'c1' }, 'capture', 'cust-1', 'lead-1', NOW);
    expect(lead).toMatchObject({ status: 'new', version: 1, captures: 1, customerId: 'cust-1', partnerAccountId: null, convertedAt: null, notes: null, ownerId: null });
    expect(events).toHaveLength(1);
    expect(events[0]!.data).toEqual({ leadId: 'lead-1', via: 'capture', source: 'fair', customerId: 'cust-1', campaignId: 'c1' });
    expect(JSON.stringify(events)).not.toContain('ada@example.com');
  });

  it.each([
    ['new', 'working'],
    ['new', 'disqualified'],
    ['working', 'qualified'],
    ['working', 'disqualified'],
    ['disqualified', 'working'],
  ] as const)('moves %s -> %s', (from, to) => {
    const moved = patchLead(newLead({ status: from }), { status: to }, LATER);
    expect(moved).toMatchObject({ status: to, version: 2, updatedAt: LATER.toISOString() });
  });

  it.each([
    ['new', 'qualified'],
    ['working', 'new'],
    ['qualified', 'working'],
    ['qualified', 'disqualified'],
    ['disqualified', 'qualified'],
    ['converted', 'working'],
  ] as const)('refuses %s -> %s (409 status-move)', (from, to) => {
    expect(() => patchLead(newLead({ status: from }), { status: to }, LATER)).toThrow(LeadStatusMoveError);
  });

  it('a patch that changes nothing keeps the version; null clears a field', () => {
    const lead = newLead({ notes: 'x' });
    expect(patchLead(lead, { status: 'new', notes: 'x' }, LATER)).toBe(lead);
    expect(patchLead(lead, { notes: null }, LATER)).toMatchObject({ notes: null, version: 2 });
  });

  it('a repeated capture counts and fills only what the lead lacks', () => {
    const lead = newLead({ firstName: 'Ada', company: null });
    const again = recapture(lead, { email: lead.email, source: 'web', firstName: 'Bot', company: 'Analytical' }, 'cust-9', LATER);
    expect(again).toMatchObject({ firstName: 'Ada', company: 'Analytical', customerId: 'cust-9', captures: 2, version: 2 });
    expect(recapture({ ...lead, customerId: 'cust-1' }, { email: lead.email, source: 'web' }, 'cust-9', LATER).customerId).toBe('cust-1');
  });

  it('knows open statuses and the honeypot', () => {
    expect(['new', 'working'].every((s) => isOpen(s as Lead['status']))).toBe(true);
    expect(['qualified', 'disqualified', 'converted'].some((s) => isOpen(s as Lead['status']))).toBe(false);
    expect(isBot({ website: 'http://spam' })).toBe(true);
    expect(isBot({ website: '  ' })).toBe(false);
    expect(isBot({})).toBe(false);
  });
});

/** An in-memory lead store with the one-open-lead-per-email pointer, as the DynamoDB adapter keeps it. */
function fakes(known: Record<string, string> = {}) {
  const leads = new Map<string, Lead>();
  const open = new Map<string, string>();
  const created: string[] = [];
  const requested: [string, string][] = [];
  const repo: LeadRepository = {
    get: async (id) => leads.get(id),
    openLeadOf: async (email) => (open.has(email) ? leads.get(open.get(email)!) : undefined),
    list: async () => ({ items: [...leads.values()], nextCursor: null }),
    async create(lead) {
      if (open.has(lead.email)) return { refused: 'email-open' };
      leads.set(lead.id, lead);
      open.set(lead.email, lead.id);
      return { lead };
    },
    async update(previous, next) {
      if (leads.get(previous.id)?.version !== previous.version) return { refused: 'moved' };
      // The pointer follows the lead in and out of the open statuses.
      if (!isOpen(previous.status) && isOpen(next.status)) {
        if (open.has(next.email)) return { refused: 'email-open' };
        open.set(next.email, next.id);
      }
      if (isOpen(previous.status) && !isOpen(next.status) && open.get(previous.email) === previous.id) open.delete(previous.email);
      leads.set(next.id, next);
      return { lead: next };
    },
    async remove(lead) {
      leads.delete(lead.id);
      if (open.get(lead.email) === lead.id) open.delete(lead.email);
      return true;
    },
    leadsOf: async (customerId) => [...leads.values()].filter((l) => l.customerId === customerId),
    unlinkedLeadsOf: async (email) => [...leads.values()].filter((l) => l.customerId === null && l.email === email),
  };
  const customers: LeadCustomers = {
    byEmail: async (email) => known[email],
    async ensure(person) {
      created.push(person.email);
      known[person.email] = `cust-${person.email}`;
      return known[person.email]!;
    },
  };
  const consents: LeadConsents = {
    async request(customerId, topic) {
      if (topic === 'unknown') return false;
      requested.push([customerId, topic]);
      return true;
    },
  };
  const useCases = leadUseCases({ leads: repo, customers, consents, clock: fakeClock(NOW), ids: sequentialIds('lead') });
  return { useCases, repo, leads, created, requested };
}

const origin = { baseUrl: 'https://crm.example' };

describe('lead use cases', () => {
  it('a honeypot capture stores nothing, creates no customer and requests no consent', async () => {
    const f = fakes();
    expect(await f.useCases.capture({ email: 'bot@example.com', source: 'web', consents: ['news'], website: 'x' }, origin, ctx)).toEqual({ stored: false });
    expect(f.leads.size).toBe(0);
    expect(f.created).toEqual([]);
    expect(f.requested).toEqual([]);
  });

  it('links the known customer, and a second capture lands on the open lead', async () => {
    const f = fakes({ 'ada@example.com': 'cust-1' });
    await f.useCases.capture({ email: 'ada@example.com', source: 'web' }, origin, ctx);
    await f.useCases.capture({ email: 'ada@example.com', source: 'web', company: 'Analytical' }, origin, ctx);
    expect([...f.leads.values()]).toHaveLength(1);
    expect([...f.leads.values()][0]).toMatchObject({ customerId: 'cust-1', captures: 2, company: 'Analytical' });
    expect(f.created).toEqual([]);
  });

  it('creates a customer only for ticked consents, and requests each known topic once', async () => {
    const f = fakes();
    await f.useCases.capture({ email: 'no-box@example.com', source: 'web' }, origin, ctx);
    expect(f.created).toEqual([]);
    await f.useCases.capture({ email: 'box@example.com', source: 'web', consents: ['news', 'news', 'unknown'] }, origin, ctx);
    expect(f.created).toEqual(['box@example.com']);
    expect(f.requested).toEqual([['cust-box@example.com', 'news']]);
  });

  it('a staff create for an email with an open lead is refused with its id', async () => {
    const f = fakes();
    const first = await f.useCases.create({ email: 'ada@example.com', source: 'web' }, ctx);
    await expect(f.useCases.create({ email: 'ada@example.com', source: 'web' }, ctx)).rejects.toThrow(new LeadOpenError(first.id).message);
  });

  it("a customer's erasure removes its leads", async () => {
    const f = fakes({ 'ada@example.com': 'cust-1' });
    await f.useCases.create({ email: 'ada@example.com', source: 'web' }, ctx);
    await f.useCases.create({ email: 'bob@example.com', source: 'web' }, ctx);
    expect(await f.useCases.eraseCustomerLeads('cust-1')).toBe(1);
    expect([...f.leads.values()].map((l) => l.email)).toEqual(['bob@example.com']);
  });

  it("a customer's erasure removes the unlinked leads of the person's addresses, open or closed, and no one else's", async () => {
    const f = fakes({ 'linked@example.com': 'cust-2' });
    const closed = await f.useCases.create({ email: 'ada@example.com', source: 'fair' }, ctx);
    await f.useCases.patch(closed.id, { status: 'disqualified' }, undefined, ctx);
    await f.useCases.capture({ email: 'ada@example.com', source: 'web' }, origin, ctx);
    await f.useCases.capture({ email: 'ada.work@example.com', source: 'web' }, origin, ctx);
    await f.useCases.create({ email: 'bob@example.com', source: 'web' }, ctx);
    await f.useCases.create({ email: 'linked@example.com', source: 'web' }, ctx);
    expect(await eraseUnlinkedLeads(f.repo, ['ada@example.com', 'ada.work@example.com', 'ada@example.com', 'linked@example.com'])).toBe(3);
    expect([...f.leads.values()].map((l) => l.email).sort()).toEqual(['bob@example.com', 'linked@example.com']);
    expect(await eraseUnlinkedLeads(f.repo, ['ada@example.com'])).toBe(0);
  });

  it('reads each lead found again: keeps one linked meanwhile, removes the current version of one that moved', async () => {
    const f = fakes();
    const lead = await f.useCases.create({ email: 'ada@example.com', source: 'web' }, ctx);
    const other = await f.useCases.create({ email: 'eve@example.com', source: 'web' }, ctx);
    // The index answered with the unlinked versions; the store has moved on: one linked, one only re-versioned.
    f.leads.set(lead.id, { ...lead, customerId: 'cust-9', version: lead.version + 1 });
    const stale = { ...other, version: other.version - 1 };
    const removed: number[] = [];
    const repo = { ...f.repo, unlinkedLeadsOf: async (email: string) => (email === 'ada@example.com' ? [lead] : [stale]), remove: (l: Lead) => (removed.push(l.version), f.repo.remove(l)) };
    expect(await eraseUnlinkedLeads(repo, ['ada@example.com', 'eve@example.com'])).toBe(1);
    expect(f.leads.has(lead.id)).toBe(true);
    expect(f.leads.has(other.id)).toBe(false);
    expect(removed).toEqual([other.version]);
  });
});
