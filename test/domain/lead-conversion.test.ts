import { describe, expect, it } from 'vitest';
import type { Contact } from '../../domain/sales/account.schema.ts';
import { createLead, LeadNotFoundError, LeadStatusMoveError } from '../../domain/sales/lead.ts';
import type { Lead } from '../../domain/sales/lead.schema.ts';
import { accountChoice, checkConvertible, checkPartnerConversion, type ConversionPlan, LeadConvertedError, NoAccountNameError, planConversion } from '../../domain/sales/lead-conversion.ts';
import type { ConversionRefusal, CustomerState, LeadConversionStore } from '../../domain/sales/lead-conversion.ports.ts';
import type { LeadConversionInput, LeadConversionResult } from '../../domain/sales/lead-conversion.schema.ts';
import { leadConversionUseCases } from '../../domain/sales/lead-conversion.use-cases.ts';
import { UnknownOpportunityAccountError } from '../../domain/sales/opportunity.ts';
import { STAFF_VIEWER, type SalesViewer } from '../../domain/sales/partner-scope.ts';
import { DEFAULT_PIPELINE, UnknownStageError } from '../../domain/sales/pipeline-stages.ts';
import { ConcurrentUpdateError, ConflictError, CustomerBeingErasedError, CustomerErasedError, ForbiddenActionError, IdempotencyKeyReusedError, StaleVersionError, ValidationError } from '../../domain/shared/errors.ts';
import { fakeClock, sequentialIds } from '../support/fakes.ts';

const NOW = new Date('2025-03-01T10:00:00.000Z');
const LATER = new Date('2025-03-02T10:00:00.000Z');
const ids = { customer: 'cust-new', account: 'acct-new', opportunity: 'opp-new' };
const baseLead = (extra: Partial<Lead> = {}): Lead => ({
  ...createLead({ email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', company: 'Analytical Ltd', source: 'fair', ownerId: 'rep-1' }, 'staff', null, 'lead-1', NOW).lead,
  ...extra,
});
const deal = { name: 'Engines', amount: 5000, currency: 'EUR', closeDate: '2025-06-30' };
const partner: SalesViewer = { kind: 'partner', accountId: 'partner-1' };
const plan = (lead: Lead, input: LeadConversionInput, extra: Partial<Parameters<typeof planConversion>[2]> = {}) =>
  planConversion(lead, input, { customer: { create: true }, account: accountChoice(lead, input), existingContact: undefined, ids, actorId: 'caller', now: LATER, ...extra });

describe('conversion rules', () => {
  it('converts new, working and qualified leads; refuses a converted one (lead-converted) and a disqualified one (status-move)', () => {
    for (const status of ['new', 'working', 'qualified'] as const) expect(() => checkConvertible(baseLead({ status }))).not.toThrow();
    const converted = baseLead({ status: 'converted', conversion: { customerId: 'c', accountId: 'a', opportunityId: null } });
    expect(() => checkConvertible(converted)).toThrow(LeadConvertedError);
    expect(new LeadConvertedError(converted).code).toBe('lead-converted');
    expect(() => checkConvertible(baseLead({ status: 'disqualified' }))).toThrow(LeadStatusMoveError);
  });

  it('chooses the account: accountId links, accountName creates, neither takes the company, none at all is 422, both is 400', () => {
    const lead = baseLead();
    expect(accountChoice(lead, { accountId: 'acct-1' })).toEqual({ link: 'acct-1' });
    expect(accountChoice(lead, { accountName: 'Other Ltd' })).toEqual({ create: 'Other Ltd' });
    expect(accountChoice(lead, {})).toEqual({ create: 'Analytical Ltd' });
    expect(() => accountChoice(baseLead({ company: null }), {})).toThrow(NoAccountNameError);
    expect(() => accountChoice(lead, { accountId: 'a', accountName: 'b' })).toThrow(ValidationError);
  });

  it('lets partners neither link an account nor choose the opportunity owner (403); staff may', () => {
    expect(() => checkPartnerConversion(partner, { accountId: 'acct-1' })).toThrow(ForbiddenActionError);
    expect(() => checkPartnerConversion(partner, { opportunity: { ...deal, ownerId: 'someone' } })).toThrow(ForbiddenActionError);
    expect(() => checkPartnerConversion(partner, { accountName: 'X', opportunity: deal })).not.toThrow();
    expect(() => checkPartnerConversion(STAFF_VIEWER, { accountId: 'acct-1', opportunity: { ...deal, ownerId: 'x' } })).not.toThrow();
  });

  it('plans a new customer (source lead), a new customer account owned by the lead owner, the contact link, the opportunity and the converted lead', () => {
    const p = plan(baseLead({ partnerAccountId: 'partner-1' }), { opportunity: deal });
    expect('created' in p.customer && p.customer.created).toMatchObject({ id: 'cust-new', email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', attributes: { source: 'lead' } });
    expect('created' in p.account && p.account.created).toMatchObject({ id: 'acct-new', name: 'Analytical Ltd', type: 'customer', ownerId: 'rep-1' });
    expect(p.contact).toEqual({ accountId: 'acct-new', customerId: 'cust-new', role: 'contact', addedAt: LATER.toISOString() });
    expect(p.contactExisted).toBe(false);
    expect(p.opportunity).toMatchObject({ id: 'opp-new', accountId: 'acct-new', ownerId: 'rep-1', partnerAccountId: 'partner-1', stage: 'prospecting', probability: 10 });
    expect(p.lead).toMatchObject({ status: 'converted', customerId: 'cust-new', convertedAt: LATER.toISOString(), version: 2, conversion: { customerId: 'cust-new', accountId: 'acct-new', opportunityId: 'opp-new' } });
    expect(p.events.customer.map((e) => e.definition.detailType)).toEqual(['CustomerCreated']);
    expect(p.events.account.map((e) => e.definition.detailType)).toEqual(['AccountCreated']);
    expect(p.events.opportunity.map((e) => e.definition.detailType)).toEqual(['OpportunityStageChanged']);
    expect(p.events.lead.map((e) => [e.definition.detailType, e.data])).toEqual([['LeadConverted', { leadId: 'lead-1', customerId: 'cust-new', accountId: 'acct-new', opportunityId: 'opp-new' }]]);
    expect(JSON.stringify(p.events)).not.toContain('ada@example.com');
    expect(p.result).toEqual({ lead: p.lead, customer: { id: 'cust-new', created: true }, account: { id: 'acct-new', created: true }, opportunity: p.opportunity });
  });

  it('links an existing customer and account, keeps an existing link and its role, and opens no opportunity unless asked', () => {
    const existingContact: Contact = { accountId: 'acct-1', customerId: 'cust-1', role: 'buyer', addedAt: NOW.toISOString() };
    const p = plan(baseLead(), { accountId: 'acct-1' }, { customer: { existing: 'cust-1' }, existingContact });
    expect(p.customer).toEqual({ existing: 'cust-1' });
    expect(p.account).toEqual({ existing: 'acct-1' });
    expect(p.contact).toEqual(existingContact);
    expect(p.contactExisted).toBe(true);
    expect(p.opportunity).toBeNull();
    expect([...p.events.customer, ...p.events.account, ...p.events.opportunity]).toEqual([]);
    expect(p.result).toMatchObject({ customer: { id: 'cust-1', created: false }, account: { id: 'acct-1', created: false }, opportunity: null });
    expect(p.lead.conversion).toEqual({ customerId: 'cust-1', accountId: 'acct-1', opportunityId: null });
  });

  it("opens the opportunity in the configured pipeline's first stage, at that stage's probability", () => {
    const pipeline = { stages: [{ id: 'discovery', label: 'Discovery', probability: 5 }, { id: 'demo', label: 'Demo', probability: 30 }] };
    expect(plan(baseLead(), { opportunity: deal }, { pipeline }).opportunity).toMatchObject({ stage: 'discovery', probability: 5 });
    expect(plan(baseLead(), { opportunity: { ...deal, stage: 'demo' } }, { pipeline }).opportunity).toMatchObject({ stage: 'demo', probability: 30 });
    expect(plan(baseLead(), { opportunity: deal }).opportunity).toMatchObject({ stage: 'prospecting', probability: 10 });
  });

  it('owns the opportunity by opportunity.ownerId, else the lead owner, else the caller', () => {
    expect(plan(baseLead(), { opportunity: { ...deal, ownerId: 'closer' } }).opportunity!.ownerId).toBe('closer');
    expect(plan(baseLead({ ownerId: null }), { opportunity: deal }).opportunity!.ownerId).toBe('caller');
    expect('created' in plan(baseLead({ ownerId: null }), {}).account && (plan(baseLead({ ownerId: null }), {}).account as { created: { ownerId: string } }).created.ownerId).toBe('caller');
  });
});

/** An in-memory store: the table as the conversion sees it, with a lever to lose races. */
function fakeStore(options: { customers?: Record<string, CustomerState>; emails?: Record<string, string>; accounts?: string[]; contacts?: Contact[]; stageRemovedAtCommit?: string } = {}) {
  const customers = new Map(Object.entries(options.customers ?? {}));
  const emails = new Map(Object.entries(options.emails ?? {}));
  const accounts = new Set(options.accounts ?? []);
  const contacts = new Map((options.contacts ?? []).map((c) => [`${c.accountId}|${c.customerId}`, c]));
  const records = new Map<string, { fingerprint: string; result: LeadConversionResult }>();
  const leads = new Map<string, Lead>();
  const committed: ConversionPlan[] = [];
  /** Runs before the next commit (another writer getting there first). */
  let before: (() => void) | undefined;
  const store: LeadConversionStore = {
    customerState: async (id) => customers.get(id) ?? { kind: 'missing' },
    customerOfEmail: async (email) => emails.get(email),
    contact: async (accountId, customerId) => contacts.get(`${accountId}|${customerId}`),
    pipeline: async () => DEFAULT_PIPELINE,
    async replay(claim) {
      const record = records.get(claim.key);
      if (record && record.fingerprint !== claim.fingerprint) throw new IdempotencyKeyReusedError();
      return record?.result;
    },
    async commit(plan, context): Promise<ConversionRefusal | undefined> {
      before?.();
      before = undefined;
      const claim = context.idempotency;
      if (claim && records.has(claim.key)) return 'key-used';
      if ('existing' in plan.customer && customers.get(plan.customer.existing)?.kind !== 'live') return 'customer-moved';
      if ('created' in plan.customer && emails.has(plan.customer.created.email)) return 'customer-moved';
      if ('existing' in plan.account && !accounts.has(plan.account.existing)) return 'unknown-account';
      if (contacts.has(`${plan.contact.accountId}|${plan.contact.customerId}`) !== plan.contactExisted) return 'contact-moved';
      if (leads.get(plan.previous.id)?.version !== plan.previous.version) return 'lead-moved';
      if (plan.opportunity && plan.opportunity.stage === options.stageRemovedAtCommit) return 'unknown-stage';
      if ('created' in plan.customer) {
        customers.set(plan.customer.created.id, { kind: 'live' });
        emails.set(plan.customer.created.email, plan.customer.created.id);
      }
      if ('created' in plan.account) accounts.add(plan.account.created.id);
      contacts.set(`${plan.contact.accountId}|${plan.contact.customerId}`, plan.contact);
      leads.set(plan.lead.id, plan.lead);
      if (claim) records.set(claim.key, { fingerprint: claim.fingerprint, result: plan.result });
      committed.push(plan);
      return undefined;
    },
  };
  const useCases = leadConversionUseCases({ leads: { get: async (id) => leads.get(id) }, store, clock: fakeClock(LATER), ids: sequentialIds('new') });
  return { store, leads, customers, emails, accounts, contacts, committed, useCases, beforeNextCommit: (f: () => void) => (before = f) };
}

const actor = { id: 'caller', roles: ['agent'] };
const ctx = { correlationId: 'conversion-test' };

describe('converting a lead', () => {
  it('creates customer, account and link when nothing exists, then refuses a second conversion with 409 lead-converted', async () => {
    const f = fakeStore();
    f.leads.set('lead-1', baseLead());
    const done = await f.useCases.convert('lead-1', {}, STAFF_VIEWER, actor, undefined, ctx);
    expect(done).toMatchObject({ customer: { created: true }, account: { created: true }, opportunity: null, lead: { status: 'converted' } });
    await expect(f.useCases.convert('lead-1', {}, STAFF_VIEWER, actor, undefined, ctx)).rejects.toThrow(LeadConvertedError);
    expect(f.committed).toHaveLength(1);
  });

  it('answers 422 unknown-stage and writes nothing when the stage left the pipeline before the commit', async () => {
    const f = fakeStore({ stageRemovedAtCommit: 'proposal' });
    f.leads.set('lead-1', baseLead());
    await expect(f.useCases.convert('lead-1', { opportunity: { ...deal, stage: 'proposal' } }, STAFF_VIEWER, actor, undefined, ctx)).rejects.toThrow(UnknownStageError);
    expect(f.committed).toEqual([]);
  });

  it("links the lead's own customer, following merges to where it went", async () => {
    const f = fakeStore({ customers: { old: { kind: 'merged', into: 'mid' }, mid: { kind: 'merged', into: 'target' }, target: { kind: 'live' } }, accounts: ['acct-1'] });
    f.leads.set('lead-1', baseLead({ customerId: 'old' }));
    const done = await f.useCases.convert('lead-1', { accountId: 'acct-1' }, STAFF_VIEWER, actor, undefined, ctx);
    expect(done.customer).toEqual({ id: 'target', created: false });
    expect(done.lead.customerId).toBe('target');
  });

  it('refuses (409) a merge chain that never ends instead of walking it forever', async () => {
    const f = fakeStore({ customers: { a: { kind: 'merged', into: 'b' }, b: { kind: 'merged', into: 'a' } } });
    f.leads.set('lead-1', baseLead({ customerId: 'a' }));
    await expect(f.useCases.convert('lead-1', {}, STAFF_VIEWER, actor, undefined, ctx)).rejects.toThrow(ConflictError);
    expect(f.committed).toEqual([]);
  });

  it("creates a new customer when the lead's linked one was never there and nobody holds its email", async () => {
    const f = fakeStore();
    f.leads.set('lead-1', baseLead({ customerId: 'dangling' }));
    expect((await f.useCases.convert('lead-1', {}, STAFF_VIEWER, actor, undefined, ctx)).customer).toMatchObject({ created: true });
  });

  it("links the customer holding the lead's email when the lead has none", async () => {
    const f = fakeStore({ customers: { known: { kind: 'live' } }, emails: { 'ada@example.com': 'known' } });
    f.leads.set('lead-1', baseLead());
    expect((await f.useCases.convert('lead-1', {}, STAFF_VIEWER, actor, undefined, ctx)).customer).toEqual({ id: 'known', created: false });
  });

  it('refuses (409) to convert into a customer being erased or erased; nothing is committed', async () => {
    const f = fakeStore({ customers: { going: { kind: 'being-erased' }, gone: { kind: 'erased' } } });
    f.leads.set('lead-1', baseLead({ customerId: 'going' }));
    f.leads.set('lead-2', baseLead({ id: 'lead-2', customerId: 'gone' }));
    await expect(f.useCases.convert('lead-1', {}, STAFF_VIEWER, actor, undefined, ctx)).rejects.toThrow(CustomerBeingErasedError);
    await expect(f.useCases.convert('lead-2', {}, STAFF_VIEWER, actor, undefined, ctx)).rejects.toThrow(CustomerErasedError);
    expect(f.committed).toEqual([]);
  });

  it('answers 422 unknown-account for an accountId the transaction does not find', async () => {
    const f = fakeStore();
    f.leads.set('lead-1', baseLead());
    await expect(f.useCases.convert('lead-1', { accountId: 'nope' }, STAFF_VIEWER, actor, undefined, ctx)).rejects.toThrow(UnknownOpportunityAccountError);
    expect(f.committed).toEqual([]);
  });

  it('honours If-Match (412 when stale) and answers a replayed Idempotency-Key with the first result', async () => {
    const f = fakeStore();
    f.leads.set('lead-1', baseLead());
    await expect(f.useCases.convert('lead-1', {}, STAFF_VIEWER, actor, 7, ctx)).rejects.toThrow(StaleVersionError);
    const once = { ...ctx, idempotency: { scope: 's', key: 'k', fingerprint: 'f' } };
    const first = await f.useCases.convert('lead-1', {}, STAFF_VIEWER, actor, 1, once);
    expect(await f.useCases.convert('lead-1', {}, STAFF_VIEWER, actor, 1, once)).toEqual(first);
    await expect(f.useCases.convert('lead-1', { accountName: 'x' }, STAFF_VIEWER, actor, 1, { ...ctx, idempotency: { scope: 's', key: 'k', fingerprint: 'other' } })).rejects.toThrow(IdempotencyKeyReusedError);
    expect(f.committed).toHaveLength(1);
  });

  it('loses a race to another conversion with 409 lead-converted (one conversion in all)', async () => {
    const f = fakeStore();
    f.leads.set('lead-1', baseLead());
    f.beforeNextCommit(() => f.leads.set('lead-1', { ...baseLead(), status: 'converted', version: 2, conversion: { customerId: 'x', accountId: 'y', opportunityId: null } }));
    await expect(f.useCases.convert('lead-1', {}, STAFF_VIEWER, actor, undefined, ctx)).rejects.toThrow(LeadConvertedError);
    expect(f.committed).toEqual([]);
  });

  it('retries when the email got its customer meanwhile, and links that one', async () => {
    const f = fakeStore();
    f.leads.set('lead-1', baseLead());
    f.beforeNextCommit(() => {
      f.customers.set('racer', { kind: 'live' });
      f.emails.set('ada@example.com', 'racer');
    });
    expect((await f.useCases.convert('lead-1', {}, STAFF_VIEWER, actor, undefined, ctx)).customer).toEqual({ id: 'racer', created: false });
  });

  it('gives up with 409 concurrent-update when it keeps losing', async () => {
    const f = fakeStore();
    f.leads.set('lead-1', baseLead());
    const store = { ...f.store, commit: async () => 'lead-moved' as const };
    const useCases = leadConversionUseCases({ leads: { get: async (id) => f.leads.get(id) }, store, clock: fakeClock(LATER), ids: sequentialIds() });
    await expect(useCases.convert('lead-1', {}, STAFF_VIEWER, actor, undefined, ctx)).rejects.toThrow(ConcurrentUpdateError);
  });

  it("lets a partner convert only its own leads (404 for others' and unassigned ones), keeping the partner on the opportunity", async () => {
    const f = fakeStore();
    f.leads.set('mine', baseLead({ id: 'mine', partnerAccountId: 'partner-1' }));
    f.leads.set('theirs', baseLead({ id: 'theirs', email: 'b@example.com', partnerAccountId: 'partner-2' }));
    f.leads.set('nobody', baseLead({ id: 'nobody', email: 'c@example.com' }));
    const as = { id: 'partner-user', roles: ['partner'] };
    await expect(f.useCases.convert('theirs', {}, partner, as, undefined, ctx)).rejects.toThrow(LeadNotFoundError);
    await expect(f.useCases.convert('nobody', {}, partner, as, undefined, ctx)).rejects.toThrow(LeadNotFoundError);
    await expect(f.useCases.convert('mine', { accountId: 'acct-1' }, partner, as, undefined, ctx)).rejects.toThrow(ForbiddenActionError);
    const done = await f.useCases.convert('mine', { opportunity: deal }, partner, as, undefined, ctx);
    expect(done.opportunity).toMatchObject({ partnerAccountId: 'partner-1', ownerId: 'rep-1' });
    expect(f.committed).toHaveLength(1);
  });
});
