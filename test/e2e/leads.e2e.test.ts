import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAPTURE_LIMIT } from '../../functions/sales/lead.composition.ts';
import { eventually, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

// Leads through the real local runtime: staff create, list, filter, patch, erase; the public
// capture form (JSON and form bodies, honeypot, rate limit), linking to customers, the double
// opt-in it starts, and the erasure of a linked customer reaching its leads.

let t: TestRuntime;
beforeAll(async () => {
  t = await startTestRuntime();
  const topics = [{ id: 'newsletter', name: 'Monthly newsletter', purpose: 'marketing' }];
  expect((await t.call('PUT', '/topics', { role: 'admin', body: topics })).status).toBe(200);
});
afterAll(async () => {
  await t?.runtime.stop();
});

let n = 0;
const email = () => `lead-${Date.now()}-${++n}@example.com`;
/** Captures from one address share a limit: each test starts in a fresh window of the virtual clock. */
async function freshWindow() {
  const now = (await t.call('GET', '/_local/clock', { role: null })).json.now as string;
  const seconds = CAPTURE_LIMIT.windowSeconds - (Math.floor(Date.parse(now) / 1000) % CAPTURE_LIMIT.windowSeconds) + 1;
  await fetch(`${t.runtime.url}/_local/clock/advance`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ seconds }) });
}
const capture = (body: Record<string, unknown>) => t.call('POST', '/leads/capture', { role: null, body });
const captureForm = (form: URLSearchParams) =>
  t.call('POST', '/leads/capture', { role: null, rawBody: form.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
const leadsOfEmail = async (address: string) =>
  ((await t.call('GET', '/leads?limit=100', { role: 'manager' })).json.items as { id: string; email: string }[]).filter((l) => l.email === address);
const scanText = async () => JSON.stringify((await t.runtime.client.send(new ScanCommand({ TableName: t.runtime.tableName }))).Items);
/** The LeadCaptured events on the local bus (ids, `via` and `source`: never the email). */
const captured = async () =>
  ((await t.call('GET', '/_local/events?limit=500', { role: null })).json.items as { detailType: string; source: string; detail: { data: Record<string, unknown> } }[])
    .filter((e) => e.detailType === 'LeadCaptured' && e.source === 'crm.sales')
    .map((e) => e.detail.data);
const mailsTo = async (address: string) =>
  ((await (await fetch(`${t.runtime.sesUrl}/store`)).json()) as { emails: { destination: { to: string[] }; subject: string }[] }).emails.filter((e) => e.destination.to.includes(address));

describe('staff leads', () => {
  it('creates, reads, lists newest first and filters by status and owner', async () => {
    const a = email();
    const created = await t.call('POST', '/leads', { role: 'marketer', body: { email: a, firstName: 'Ada', company: 'Analytical Ltd', source: 'trade-fair', ownerId: 'rep-1' } });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ email: a, status: 'new', ownerId: 'rep-1', customerId: null, partnerAccountId: null, convertedAt: null, captures: 1, version: 1 });
    expect(created.headers.get('location')).toBe(`/leads/${created.json.id}`);
    const b = await t.call('POST', '/leads', { role: 'agent', body: { email: email(), source: 'referral' } });
    expect((await t.call('GET', `/leads/${created.json.id}`, { role: 'agent' })).json.email).toBe(a);

    const first = await t.call('GET', '/leads?limit=1', { role: 'manager' });
    expect(first.json.items.map((l: { id: string }) => l.id)).toEqual([b.json.id]);
    const next = await t.call('GET', `/leads?limit=1&cursor=${first.json.nextCursor}`, { role: 'manager' });
    expect(next.json.items.map((l: { id: string }) => l.id)).toEqual([created.json.id]);
    const mine = await t.call('GET', '/leads?owner=rep-1', { role: 'manager' });
    expect(mine.json.items.map((l: { id: string }) => l.id)).toEqual([created.json.id]);
    const mineNew = await t.call('GET', '/leads?owner=rep-1&status=new', { role: 'manager' });
    expect(mineNew.json.items.map((l: { id: string }) => l.id)).toEqual([created.json.id]);
    expect((await t.call('GET', '/leads?owner=rep-1&status=working', { role: 'manager' })).json.items).toEqual([]);

    // LeadCaptured via staff, on the bus with ids and source only.
    const event = await eventually(async () => (await captured()).find((e) => e.leadId === created.json.id));
    expect(event).toEqual({ leadId: created.json.id, via: 'staff', source: 'trade-fair', customerId: null, campaignId: null });
    expect(JSON.stringify(event)).not.toContain(a);
  });

  it('refuses customers (403) and a public caller (401)', async () => {
    expect((await t.call('GET', '/leads', { role: 'customer' })).status).toBe(403);
    expect((await t.call('POST', '/leads', { role: 'customer', body: { email: email(), source: 'x' } })).status).toBe(403);
    expect((await t.call('GET', '/leads', { role: null })).status).toBe(401);
  });

  it('is idempotent with Idempotency-Key, and keeps one open lead per email (409 lead-open)', async () => {
    const a = email();
    const key = { 'idempotency-key': `lead-${a}` };
    const one = await t.call('POST', '/leads', { role: 'agent', body: { email: a, source: 'web' }, headers: key });
    const again = await t.call('POST', '/leads', { role: 'agent', body: { email: a, source: 'web' }, headers: key });
    expect(again.status).toBe(201);
    expect(again.json.id).toBe(one.json.id);
    const second = await t.call('POST', '/leads', { role: 'agent', body: { email: a, source: 'web' } });
    expect(second.status).toBe(409);
    expect(second.json.type).toBe('urn:ecrm:problem:lead-open');
  });

  it('moves status new -> working -> disqualified -> working -> qualified with If-Match; refuses other moves', async () => {
    const lead = (await t.call('POST', '/leads', { role: 'agent', body: { email: email(), source: 'web' } })).json;
    const patch = (body: unknown, version?: number) =>
      t.call('PATCH', `/leads/${lead.id}`, { role: 'agent', body, headers: { 'content-type': 'application/merge-patch+json', ...(version ? { 'if-match': `"${version}"` } : {}) } });
    expect((await patch({ status: 'qualified' })).json.type).toBe('urn:ecrm:problem:status-move');
    const working = await patch({ status: 'working', ownerId: 'rep-2', notes: 'called' }, 1);
    expect(working.status).toBe(200);
    expect(working.json).toMatchObject({ status: 'working', ownerId: 'rep-2', notes: 'called', version: 2 });
    expect((await patch({ status: 'disqualified' }, 1)).status).toBe(412);
    expect((await patch({ status: 'disqualified' }, 2)).json.status).toBe('disqualified');
    expect((await patch({ status: 'working', notes: null })).json).toMatchObject({ status: 'working', notes: null });
    expect((await patch({ status: 'qualified' })).json.status).toBe('qualified');
    expect((await patch({ status: 'new' })).status).toBe(409);
    expect((await patch({ customerId: 'x' })).status).toBe(400);
    const byStatus = await t.call('GET', '/leads?status=qualified&limit=100', { role: 'agent' });
    expect(byStatus.json.items.map((l: { id: string }) => l.id)).toContain(lead.id);
  });

  it('a closed lead frees its email: a new lead may be entered, and reopening the old one is a 409', async () => {
    const a = email();
    const old = (await t.call('POST', '/leads', { role: 'agent', body: { email: a, source: 'web' } })).json;
    const h = { 'content-type': 'application/merge-patch+json' };
    await t.call('PATCH', `/leads/${old.id}`, { role: 'agent', body: { status: 'disqualified' }, headers: h });
    expect((await t.call('POST', '/leads', { role: 'agent', body: { email: a, source: 'web' } })).status).toBe(201);
    const reopen = await t.call('PATCH', `/leads/${old.id}`, { role: 'agent', body: { status: 'working' }, headers: h });
    expect(reopen.status).toBe(409);
    expect(reopen.json.type).toBe('urn:ecrm:problem:lead-open');
  });

  it('erases a lead (admins and managers, If-Match required): nothing of it stays', async () => {
    const a = email();
    const lead = (await t.call('POST', '/leads', { role: 'agent', body: { email: a, source: 'web' }, headers: { 'idempotency-key': `erase-${a}` } })).json;
    expect((await t.call('DELETE', `/leads/${lead.id}`, { role: 'agent', headers: { 'if-match': '"1"' } })).status).toBe(403);
    expect((await t.call('DELETE', `/leads/${lead.id}`, { role: 'manager' })).status).toBe(428);
    expect((await t.call('DELETE', `/leads/${lead.id}`, { role: 'manager', headers: { 'if-match': '"7"' } })).status).toBe(412);
    expect((await t.call('DELETE', `/leads/${lead.id}`, { role: 'manager', headers: { 'if-match': '"1"' } })).status).toBe(204);
    expect((await t.call('GET', `/leads/${lead.id}`, { role: 'manager' })).status).toBe(404);
    expect(await scanText()).not.toContain(a);
  });
});

describe('the capture form', () => {
  beforeAll(freshWindow);

  it('takes JSON and form bodies, answers 202 without an id, and lands a second capture on the open lead', async () => {
    await freshWindow();
    const a = email();
    const res = await capture({ email: a, firstName: 'Grace', source: 'web-form' });
    expect(res.status).toBe(202);
    expect(res.json).toEqual({ received: true });
    const form = new URLSearchParams({ email: a, lastName: 'Hopper', company: 'Navy', source: 'web-form', website: '' });
    expect((await captureForm(form)).status).toBe(202);
    const found = await leadsOfEmail(a);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ firstName: 'Grace', lastName: 'Hopper', company: 'Navy', captures: 2, status: 'new', customerId: null });
    // One LeadCaptured via capture for the new lead (the second capture only counts on it), without the email.
    await t.runtime.idle();
    const events = (await captured()).filter((e) => e.leadId === found[0]!.id);
    expect(events).toEqual([{ leadId: found[0]!.id, via: 'capture', source: 'web-form', customerId: null, campaignId: null }]);
    expect(JSON.stringify(events)).not.toContain(a);
    expect((await captureForm(new URLSearchParams({ email: 'not-an-email', source: 'x' }))).status).toBe(400);
  });

  it('links a lead to the customer whose email identity matches', async () => {
    await freshWindow();
    const a = email();
    const customer = (await t.call('POST', '/customers', { body: { email: a } })).json;
    expect((await capture({ email: a.toUpperCase(), source: 'web-form' })).status).toBe(202);
    expect((await leadsOfEmail(a))[0]).toMatchObject({ customerId: customer.id });
  });

  it('a ticked consent box creates the customer and starts the double opt-in (pending, confirmation mail); unknown topics are ignored', async () => {
    await freshWindow();
    const a = email();
    const form = new URLSearchParams([['email', a], ['source', 'web-form'], ['consents', 'newsletter'], ['consents', 'no-such-topic']]);
    expect((await captureForm(form)).status).toBe(202);
    const lead = (await leadsOfEmail(a))[0] as unknown as { customerId: string };
    expect(lead.customerId).toEqual(expect.any(String));
    const consents = await t.call('GET', `/customers/${lead.customerId}/consents`, { role: 'agent' });
    expect(consents.json.topics.find((s: { topic: string }) => s.topic === 'newsletter').state).toBe('pending');
    const mails = await eventually(async () => ((await mailsTo(a)).length > 0 ? mailsTo(a) : undefined));
    expect(mails).toHaveLength(1);
  });

  it('a filled honeypot answers like a success but stores and sends nothing', async () => {
    await freshWindow();
    const a = email();
    await t.runtime.idle();
    const before = (await captured()).length;
    const res = await capture({ email: a, source: 'web-form', consents: ['newsletter'], website: 'http://spam.example' });
    expect(res.status).toBe(202);
    expect(res.json).toEqual({ received: true });
    // Whatever the capture set going (stream, bus, opt-in mail consumer) has run once the runtime is idle.
    await t.runtime.idle();
    expect(await scanText()).not.toContain(a);
    expect(await mailsTo(a)).toEqual([]);
    expect((await captured()).length).toBe(before);
  });

  it('limits captures per address: 429 with Retry-After', async () => {
    await freshWindow();
    for (let i = 0; i < CAPTURE_LIMIT.limit; i++) expect((await capture({ email: email(), source: 'web-form' })).status).toBe(202);
    const limited = await capture({ email: email(), source: 'web-form' });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('erasure', () => {
  it("a customer's erasure takes its leads with it", async () => {
    await freshWindow();
    const a = email();
    const customer = (await t.call('POST', '/customers', { body: { email: a, firstName: 'Linus' } })).json;
    const lead = (await t.call('POST', '/leads', { role: 'agent', body: { email: a, firstName: 'Linus', source: 'web' } })).json;
    expect(lead.customerId).toBe(customer.id);
    expect((await t.call('DELETE', `/customers/${customer.id}`, { role: 'admin', headers: { 'if-match': `"${customer.version}"` } })).status).toBe(204);
    await eventually(async () => ((await t.call('GET', `/leads/${lead.id}`, { role: 'manager' })).status === 404 ? true : undefined));
    expect(await scanText()).not.toContain(a);
  });

  it("the export shows, and the erasure takes, the leads entered under the person's addresses before they became a customer", async () => {
    await freshWindow();
    const [a, work, old, bystander] = [email(), email(), email(), email()];
    // Before the person is a customer: a staff lead worked and disqualified, a capture from the
    // web form (no consent box: no customer), a lead under a second address. Nothing links them:
    // no identity named the addresses yet.
    const closed = (await t.call('POST', '/leads', { role: 'agent', body: { email: a, firstName: 'Grace', source: 'trade-fair' } })).json;
    expect(closed.customerId).toBeNull();
    for (const status of ['working', 'disqualified']) {
      expect((await t.call('PATCH', `/leads/${closed.id}`, { role: 'agent', body: { status } })).status).toBe(200);
    }
    expect((await capture({ email: a, firstName: 'Grace', company: 'Navy', source: 'web' })).status).toBe(202);
    await t.call('POST', '/leads', { role: 'agent', body: { email: work, source: 'referral', notes: 'met at the fair' } });
    const other = (await t.call('POST', '/leads', { role: 'agent', body: { email: bystander, source: 'web' } })).json;
    const open = (await leadsOfEmail(a)).find((lead) => lead.id !== closed.id)!;
    const [atWork] = await leadsOfEmail(work);
    expect([open, atWork].map((lead) => (lead as unknown as { customerId: string | null }).customerId)).toEqual([null, null]);

    // The person becomes a customer, adds the second address, and absorbs a profile that had a linked lead.
    const customer = (await t.call('POST', '/customers', { body: { email: a, firstName: 'Grace' } })).json;
    expect((await t.call('POST', `/customers/${customer.id}/identities`, { body: { type: 'email', value: work } })).status).toBe(201);
    const source = (await t.call('POST', '/customers', { body: { email: old } })).json;
    const linked = (await t.call('POST', '/leads', { role: 'agent', body: { email: old, source: 'web' } })).json;
    expect(linked.customerId).toBe(source.id);
    expect((await t.call('POST', `/customers/${customer.id}/merge`, { body: { sourceId: source.id } })).status).toBe(200);

    const exported = await t.call('GET', `/customers/${customer.id}/export`, { role: 'manager' });
    expect(exported.status, exported.text).toBe(200);
    expect(exported.json.leads.map((l: { id: string }) => l.id)).toEqual([closed.id, open.id, atWork!.id, linked.id]);
    expect(exported.json.leads[0]).toEqual({
      id: closed.id,
      email: a,
      firstName: 'Grace',
      lastName: null,
      company: null,
      source: 'trade-fair',
      campaignId: null,
      notes: null,
      status: 'disqualified',
      captures: 1,
      createdAt: closed.createdAt,
      updatedAt: expect.any(String),
    });
    expect(exported.json.leads[2]).toMatchObject({ email: work, notes: 'met at the fair', status: 'new' });
    const self = await t.call('GET', '/me/export', { headers: { authorization: `Bearer ${await t.token('customer', customer.id)}` } });
    expect(self.status, self.text).toBe(200);
    expect(self.json.leads).toEqual(exported.json.leads);

    const current = (await t.call('GET', `/customers/${customer.id}`)).json;
    expect((await t.call('DELETE', `/customers/${customer.id}`, { role: 'admin', headers: { 'if-match': `"${current.version}"` } })).status).toBe(204);
    // The unlinked ones go with the erasure run itself, not after an event.
    for (const lead of [closed, open, atWork!]) expect((await t.call('GET', `/leads/${lead.id}`, { role: 'manager' })).status).toBe(404);
    await eventually(async () => ((await t.call('GET', `/leads/${linked.id}`, { role: 'manager' })).status === 404 ? true : undefined));
    const text = await scanText();
    for (const address of [a, work, old]) expect(text).not.toContain(address);
    // Another person's lead stays, and a new capture under the address is a new lead, unlinked.
    expect((await t.call('GET', `/leads/${other.id}`, { role: 'manager' })).status).toBe(200);
    expect((await capture({ email: a, source: 'web' })).status).toBe(202);
    expect(await leadsOfEmail(a)).toHaveLength(1);
  });
});
