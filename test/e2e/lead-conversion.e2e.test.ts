import { randomUUID } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lead } from '../../domain/sales/lead.schema.ts';
import { eventually, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

// POST /leads/{id}/convert through the real local runtime: everything a conversion creates or
// links is there afterwards (customer, accounts, contacts, opportunity, lead, events on the bus),
// a refused conversion writes nothing, converting twice is a 409, Idempotency-Key replays, races,
// the partner rules, and the erasure of the converted customer.

let t: TestRuntime;
beforeAll(async () => {
  t = await startTestRuntime();
});
afterAll(async () => {
  await t?.runtime.stop();
});

let n = 0;
const email = () => `convert-${Date.now()}-${++n}@example.com`;
const deal = { name: 'Difference engines', amount: 12000, currency: 'EUR', closeDate: '2027-03-31', products: [{ sku: 'ENGINE-1', quantity: 2, unitPrice: 6000 }] };
const newLead = async (body: Record<string, unknown> = {}) =>
  (await t.call('POST', '/leads', { role: 'agent', body: { email: email(), firstName: 'Ada', lastName: 'Lovelace', company: `Analytical ${++n}`, source: 'fair', ownerId: 'rep-1', ...body } })).json as Lead;
const convert = (id: string, body: unknown = {}, options: { role?: 'agent' | 'marketer' | 'customer' | 'partner' | null; headers?: Record<string, string> } = {}) =>
  t.call('POST', `/leads/${id}/convert`, { role: options.role === undefined ? 'agent' : options.role, body, ...(options.headers ? { headers: options.headers } : {}) });
const getLead = async (id: string) => (await t.call('GET', `/leads/${id}`, { role: 'manager' })).json as Lead;
const customersOf = async (address: string) => (await t.call('GET', `/customers?email=${encodeURIComponent(address)}`)).json.items as { id: string }[];
const accountsNamed = async (name: string) => ((await t.call('GET', `/accounts?q=${encodeURIComponent(name)}&limit=100`)).json.items as { id: string; name: string }[]).filter((a) => a.name === name);
const busEvents = async () => (await t.call('GET', '/_local/events?limit=500', { role: null })).json.items as { detailType: string; detail: { data: Record<string, unknown> } }[];
const scanText = async () => JSON.stringify((await t.runtime.client.send(new ScanCommand({ TableName: t.runtime.tableName }))).Items);

/** Staff assign the lead to a partner account (PATCH /leads/{id} {partnerAccountId}). */
async function assignToPartner(lead: Lead, partnerAccountId: string): Promise<Lead> {
  const res = await t.call('PATCH', `/leads/${lead.id}`, { role: 'agent', body: { partnerAccountId }, headers: { 'content-type': 'application/merge-patch+json' } });
  expect(res.status, res.text).toBe(200);
  return res.json as Lead;
}

describe('converting a lead', () => {
  it('creates the customer, the account (after the company), the contact link and the opportunity, converts the lead, and says so on the bus', async () => {
    const lead = await newLead();
    const res = await convert(lead.id, { opportunity: deal });
    expect(res.status, res.text).toBe(200);
    const { customer, account, opportunity } = res.json;
    expect(customer.created).toBe(true);
    expect(account.created).toBe(true);
    expect(res.json.lead).toMatchObject({ id: lead.id, status: 'converted', customerId: customer.id, version: 2, conversion: { customerId: customer.id, accountId: account.id, opportunityId: opportunity.id } });
    expect(res.json.lead.convertedAt).toEqual(expect.any(String));

    expect((await t.call('GET', `/customers/${customer.id}`)).json).toMatchObject({ email: lead.email, firstName: 'Ada', lastName: 'Lovelace', attributes: { source: 'lead' } });
    const accounts = (await t.call('GET', `/customers/${customer.id}/accounts`)).json.items;
    expect(accounts).toEqual([expect.objectContaining({ account: expect.objectContaining({ id: account.id, name: lead.company, type: 'customer', ownerId: 'rep-1' }), role: 'contact' })]);
    const contacts = await eventually(async () => {
      const items = (await t.call('GET', `/accounts/${account.id}/contacts`)).json.items as { customerId: string; role: string }[];
      return items.length > 0 ? items : undefined;
    });
    expect(contacts).toEqual([expect.objectContaining({ customerId: customer.id, role: 'contact' })]);
    const stored = (await t.call('GET', `/opportunities/${opportunity.id}`)).json;
    expect(stored).toEqual(opportunity);
    expect(stored).toMatchObject({ accountId: account.id, name: deal.name, amount: 12000, stage: 'prospecting', probability: 10, ownerId: 'rep-1', partnerAccountId: null, products: deal.products });
    expect(await getLead(lead.id)).toEqual(res.json.lead);
    expect((await t.call('GET', '/leads?status=converted&limit=100', { role: 'manager' })).json.items.map((l: Lead) => l.id)).toContain(lead.id);

    const seen = await eventually(async () => {
      const events = await busEvents();
      const converted = events.find((e) => e.detailType === 'LeadConverted' && e.detail.data.leadId === lead.id);
      return converted ? events : undefined;
    });
    expect(seen.find((e) => e.detailType === 'LeadConverted' && e.detail.data.leadId === lead.id)!.detail.data).toEqual({ leadId: lead.id, customerId: customer.id, accountId: account.id, opportunityId: opportunity.id });
    await eventually(async () => {
      const events = await busEvents();
      const has = (type: string, key: string, id: string) => events.some((e) => e.detailType === type && e.detail.data[key] === id);
      return has('CustomerCreated', 'customerId', customer.id) && has('AccountCreated', 'accountId', account.id) && has('OpportunityStageChanged', 'opportunityId', opportunity.id) ? true : undefined;
    });

    // The open-lead pointer of the email was released: the person may come back as a new lead.
    expect((await t.call('POST', '/leads', { role: 'agent', body: { email: lead.email, source: 'web' } })).status).toBe(201);
  });

  it("links the customer holding the lead's email and an existing account, keeping an existing contact's role", async () => {
    const lead = await newLead();
    const person = (await t.call('POST', '/customers', { body: { email: lead.email, firstName: 'Augusta' } })).json;
    const acct = (await t.call('POST', '/accounts', { body: { name: `Existing ${randomUUID()}` } })).json;
    expect((await t.call('PUT', `/accounts/${acct.id}/contacts/${person.id}`, { body: { role: 'buyer' } })).status).toBe(200);
    const res = await convert(lead.id, { accountId: acct.id }, { role: 'marketer' });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ customer: { id: person.id, created: false }, account: { id: acct.id, created: false }, opportunity: null });
    expect(res.json.lead).toMatchObject({ customerId: person.id, conversion: { customerId: person.id, accountId: acct.id, opportunityId: null } });
    expect((await customersOf(lead.email)).map((c) => c.id)).toEqual([person.id]);
    expect((await t.call('GET', `/customers/${person.id}`)).json.firstName).toBe('Augusta');
    expect((await t.call('GET', `/customers/${person.id}/accounts`)).json.items).toEqual([expect.objectContaining({ account: expect.objectContaining({ id: acct.id }), role: 'buyer' })]);
    expect(await accountsNamed(lead.company!)).toEqual([]);
  });

  it('links a new accountName, and a new contact on an existing account for a known customer', async () => {
    const known = await newLead();
    const person = (await t.call('POST', '/customers', { body: { email: known.email } })).json;
    const acct = (await t.call('POST', '/accounts', { body: { name: `Linked ${randomUUID()}` } })).json;
    const linked = await convert(known.id, { accountId: acct.id });
    expect(linked.json.account).toEqual({ id: acct.id, created: false });
    expect((await t.call('GET', `/customers/${person.id}/accounts`)).json.items).toEqual([expect.objectContaining({ role: 'contact' })]);

    const named = await newLead({ company: undefined });
    const name = `Named ${randomUUID()}`;
    const res = await convert(named.id, { accountName: name });
    expect(res.status, res.text).toBe(200);
    expect(await accountsNamed(name)).toEqual([expect.objectContaining({ id: res.json.account.id })]);
  });

  it('refuses a second conversion with 409 lead-converted and changes nothing', async () => {
    const lead = await newLead();
    const first = await convert(lead.id, { opportunity: deal });
    expect(first.status).toBe(200);
    const opportunities = (await t.call('GET', `/opportunities?account=${first.json.account.id}`)).json.items.length;
    const again = await convert(lead.id, { accountName: `Second ${randomUUID()}`, opportunity: deal });
    expect(again.status).toBe(409);
    expect(again.json.type).toBe('urn:ecrm:problem:lead-converted');
    expect(again.json.detail).toContain(first.json.account.id);
    expect(await getLead(lead.id)).toEqual(first.json.lead);
    expect((await t.call('GET', `/opportunities?account=${first.json.account.id}`)).json.items).toHaveLength(opportunities);
    expect(await customersOf(lead.email)).toHaveLength(1);
  });

  it('refuses a disqualified lead (409 status-move) and a stale If-Match (412)', async () => {
    const lead = await newLead();
    const patched = await t.call('PATCH', `/leads/${lead.id}`, { body: { status: 'disqualified' }, headers: { 'content-type': 'application/merge-patch+json' } });
    expect(patched.status).toBe(200);
    const refused = await convert(lead.id);
    expect(refused.status).toBe(409);
    expect(refused.json.type).toBe('urn:ecrm:problem:status-move');
    const other = await newLead();
    expect((await convert(other.id, {}, { headers: { 'if-match': '"9"' } })).status).toBe(412);
    expect((await convert(other.id, {}, { headers: { 'if-match': '"1"' } })).status).toBe(200);
    expect((await convert('no-such-lead')).status).toBe(404);
  });

  it('writes NOTHING when it is refused: an unknown account (422), a bad opportunity (400), no account name (422)', async () => {
    const lead = await newLead();
    const before = await getLead(lead.id);
    const unknown = await convert(lead.id, { accountId: 'no-such-account', opportunity: deal });
    expect(unknown.status).toBe(422);
    expect(unknown.json.type).toBe('urn:ecrm:problem:unknown-account');
    const badDeal = await convert(lead.id, { opportunity: { ...deal, currency: 'euros' } });
    expect(badDeal.status).toBe(400);
    const both = await convert(lead.id, { accountId: 'x', accountName: 'y' });
    expect(both.status).toBe(400);
    const nameless = await newLead({ company: undefined });
    const noName = await convert(nameless.id);
    expect(noName.status).toBe(422);
    expect(noName.json.detail).toContain('accountName');

    expect(await getLead(lead.id)).toEqual(before);
    expect(await getLead(nameless.id)).toMatchObject({ status: 'new', version: 1, conversion: null });
    expect(await customersOf(lead.email)).toEqual([]);
    expect(await customersOf(nameless.email)).toEqual([]);
    expect(await accountsNamed(lead.company!)).toEqual([]);
    expect((await t.call('GET', '/opportunities?account=no-such-account')).json.items).toEqual([]);
    // Nothing of the person outside the lead itself and its open-lead pointer.
    const items = (await t.runtime.client.send(new ScanCommand({ TableName: t.runtime.tableName }))).Items ?? [];
    const holding = items.filter((item) => JSON.stringify(item).includes(lead.email)).map((item) => `${item.pk}/${item.sk}`);
    expect(holding.sort()).toEqual([`LEAD#${lead.id}/LEAD`, `LEAD_EMAIL#${lead.email}/LEAD_EMAIL`]);
  });

  it('answers a replayed Idempotency-Key with the first result and converts nothing more', async () => {
    const lead = await newLead();
    const headers = { 'idempotency-key': `convert-${lead.id}` };
    const first = await convert(lead.id, { opportunity: deal }, { headers });
    expect(first.status).toBe(200);
    const replay = await convert(lead.id, { opportunity: deal }, { headers });
    expect(replay.status).toBe(200);
    expect(replay.json).toEqual(first.json);
    expect((await t.call('GET', `/opportunities?account=${first.json.account.id}`)).json.items).toHaveLength(1);
    const reused = await convert(lead.id, { accountName: 'Other' }, { headers });
    expect(reused.status).toBe(422);
    expect(reused.json.type).toBe('urn:ecrm:problem:idempotency-key-reused');
  });

  it('two conversions at once: exactly one converts, the other is a 409', async () => {
    const lead = await newLead();
    const answers = await Promise.all([convert(lead.id, { opportunity: deal }), convert(lead.id, { opportunity: deal })]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    const won = answers.find((a) => a.status === 200)!;
    expect(answers.find((a) => a.status === 409)!.json.type).toBe('urn:ecrm:problem:lead-converted');
    expect((await customersOf(lead.email)).map((c) => c.id)).toEqual([won.json.customer.id]);
    expect(await accountsNamed(lead.company!)).toHaveLength(1);
    expect((await t.call('GET', `/opportunities?account=${won.json.account.id}`)).json.items).toHaveLength(1);
  });

  it("counts the conversion's opportunity in the pipeline report, and refuses a stage the pipeline has not (422 unknown-stage, nothing written)", async () => {
    const ownerId = `closer-${randomUUID()}`;
    const lead = await newLead();
    const res = await convert(lead.id, { opportunity: { ...deal, ownerId, stage: 'proposal' } });
    expect(res.status).toBe(200);
    expect(res.json.opportunity).toMatchObject({ stage: 'proposal', probability: 50 });
    const report = await t.call('GET', `/reports/pipeline?from=2027-03&to=2027-03&owner=${ownerId}`, { role: 'manager' });
    expect(report.json.months).toEqual([expect.objectContaining({ month: '2027-03', currency: 'EUR', count: 1, amount: 12000, weightedAmount: 6000, won: 0, lost: 0 })]);

    const other = await newLead();
    const refused = await convert(other.id, { opportunity: { ...deal, stage: 'demo' } });
    expect(refused.status).toBe(422);
    expect(refused.json.type).toBe('urn:ecrm:problem:unknown-stage');
    expect((await getLead(other.id)).status).toBe('new');
    expect(await customersOf(other.email)).toEqual([]);
  });

  it('refuses customers (403) and callers without a token (401)', async () => {
    const lead = await newLead();
    expect((await convert(lead.id, {}, { role: 'customer' })).status).toBe(403);
    expect((await convert(lead.id, {}, { role: null })).status).toBe(401);
    expect((await getLead(lead.id)).status).toBe('new');
  });
});

describe('partners', () => {
  it("convert only their own partner's leads, into a new account, keeping the partner on the opportunity", async () => {
    const mine = (await t.call('POST', '/accounts', { body: { name: `Partner ${randomUUID()}`, type: 'partner' } })).json;
    const other = (await t.call('POST', '/accounts', { body: { name: `Partner ${randomUUID()}`, type: 'partner' } })).json;
    const token = await t.token('partner', undefined, mine.id);
    const asPartner = (id: string, body: unknown) => t.call('POST', `/leads/${id}/convert`, { role: null, body, headers: { authorization: `Bearer ${token}` } });

    const ours = await assignToPartner(await newLead(), mine.id);
    const theirs = await assignToPartner(await newLead(), other.id);
    const nobodys = await newLead();
    for (const id of [theirs.id, nobodys.id, 'no-such-lead']) {
      const res = await asPartner(id, {});
      expect(res.status).toBe(404);
      expect(res.json.type).toBe('urn:ecrm:problem:not-found');
    }
    const existing = (await t.call('POST', '/accounts', { body: { name: `Hidden ${randomUUID()}` } })).json;
    expect((await asPartner(ours.id, { accountId: existing.id })).status).toBe(403);
    expect((await asPartner(ours.id, { opportunity: { ...deal, ownerId: 'someone-else' } })).status).toBe(403);
    expect(await getLead(ours.id)).toEqual(ours);

    const res = await asPartner(ours.id, { opportunity: deal });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ customer: { created: true }, account: { created: true }, lead: { status: 'converted', partnerAccountId: mine.id } });
    expect(res.json.opportunity).toMatchObject({ partnerAccountId: mine.id, ownerId: 'rep-1' });
    expect((await t.call('GET', `/opportunities/${res.json.opportunity.id}`)).json.partnerAccountId).toBe(mine.id);
    expect((await getLead(theirs.id)).status).toBe('new');
    expect((await getLead(nobodys.id)).status).toBe('new');
  });
});

describe('erasure after conversion', () => {
  it('erases the converted customer: its lead, its contact links and the stored conversion answer go; the account and the opportunity stay', async () => {
    const lead = await newLead();
    const res = await convert(lead.id, { opportunity: deal }, { headers: { 'idempotency-key': `erase-${lead.id}` } });
    expect(res.status).toBe(200);
    const { customer, account, opportunity } = res.json;
    const profile = await t.call('GET', `/customers/${customer.id}`);
    expect((await t.call('DELETE', `/customers/${customer.id}`, { role: 'admin', headers: { 'if-match': profile.headers.get('etag')! } })).status).toBe(204);
    await eventually(async () => ((await t.call('GET', `/leads/${lead.id}`, { role: 'manager' })).status === 404 ? true : undefined));
    await eventually(async () => ((await t.call('GET', `/accounts/${account.id}/contacts`)).json.items.length === 0 ? true : undefined));
    expect((await t.call('GET', `/customers/${customer.id}`)).status).toBe(404);
    expect((await t.call('GET', `/accounts/${account.id}`)).status).toBe(200);
    expect((await t.call('GET', `/opportunities/${opportunity.id}`)).status).toBe(200);
    await eventually(async () => (!(await scanText()).includes(lead.email) ? true : undefined));
  });
});
