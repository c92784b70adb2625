import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../infra/routes.ts';
import { eventually, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

// Activities beyond their own routes, through the local runtime: the due reminder's email to the
// owner (local SES), activities on the customer timeline (staff, never /me), opportunities and
// activities on the account timeline paged across every source, the related-record filters of
// GET /activities, and a customer's erasure unlinking their activities.

let t: TestRuntime;
const mergePatch = { 'content-type': 'application/merge-patch+json' };
const unique = () => randomUUID().slice(0, 8);

type Mail = { subject: string; destination: { to: string[] }; body?: { text?: string }; text?: string };
const emails = async () => ((await (await fetch(`${t.runtime.sesUrl}/store`)).json()) as { emails: Mail[] }).emails;
const mailsTo = async (address: string) => (await emails()).filter((e) => e.destination.to.includes(address));
const advance = async (seconds: number) => expect((await t.call('POST', '/_local/clock/advance', { role: null, body: { seconds } })).status).toBe(200);
const inOneHour = async () => new Date(new Date((await t.call('GET', '/_local/clock', { role: null })).json.now).getTime() + 3600_000).toISOString();
async function dueEvents(): Promise<{ activityId: string; dueAt: string }[]> {
  const events = (await t.call('GET', '/_local/events?limit=500', { role: null })).json.items as { detailType: string; detail: { data: { activityId: string; dueAt: string } } }[];
  return events.filter((e) => e.detailType === 'ActivityDue').map((e) => e.detail.data);
}

async function created(path: string, body: Record<string, unknown>, role: Role = 'agent') {
  const res = await t.call('POST', path, { role, body });
  expect(res.status, res.text).toBe(201);
  return res.json;
}
const customer = (firstName: string) => created('/customers', { email: `${firstName.toLowerCase()}-${unique()}@example.com`, firstName, lastName: 'Tester' });
const activity = (body: Record<string, unknown>) => created('/activities', { type: 'call', ownerId: 'rep-1', ...body });
const patchActivity = (id: string, body: Record<string, unknown>) => t.call('PATCH', `/activities/${id}`, { role: 'agent', body, headers: mergePatch });
const ids = (items: { id: string }[]) => items.map((x) => x.id);

beforeAll(async () => {
  t = await startTestRuntime();
});
afterAll(async () => {
  await t?.runtime.stop();
});

describe('the due reminder email', () => {
  it('mails an email owner exactly once after ActivityDue, naming the customer and the account; a completed one mails nobody', async () => {
    const owner = `rep-${unique()}@example.com`;
    const idle = `idle-${unique()}@example.com`;
    const ada = await customer('Ada');
    const acme = await created('/accounts', { name: 'Acme Reminders' });
    const dueAt = await inOneHour();
    const due = await activity({ type: 'meeting', subject: 'Review\r\nBcc: victim@example.com', dueAt, ownerId: owner, customerId: ada.id, accountId: acme.id });
    const done = await activity({ subject: 'Already done', dueAt, ownerId: idle, customerId: ada.id });
    expect((await patchActivity(done.id, { completed: true })).status).toBe(200);

    await advance(3700);
    await eventually(async () => ((await dueEvents()).some((e) => e.activityId === due.id) ? true : undefined));
    const mails = await eventually(async () => {
      const found = await mailsTo(owner);
      return found.length ? found : undefined;
    });
    await t.runtime.idle();
    expect(await mailsTo(owner)).toHaveLength(1);
    expect(mails[0]!.subject).toBe('[Reminder] Review Bcc: victim@example.com');
    const text = mails[0]!.body?.text ?? mails[0]!.text ?? '';
    expect(text).toContain(`Your meeting "Review Bcc: victim@example.com" is due at ${dueAt}.`);
    expect(text).toContain(`Customer: Ada Tester <${ada.email}>`);
    expect(text).toContain('Account: Acme Reminders');
    expect((await emails()).some((e) => e.destination.to.includes('victim@example.com'))).toBe(false);
    expect(await mailsTo(idle)).toEqual([]);
    expect((await dueEvents()).filter((e) => e.activityId === done.id)).toEqual([]);

    // Time moving on fires nothing more for the same (activity, dueAt).
    await advance(3600);
    await t.runtime.idle();
    expect(await mailsTo(owner)).toHaveLength(1);
    expect((await dueEvents()).filter((e) => e.activityId === due.id)).toHaveLength(1);
  });
});

describe('activities on the customer timeline', () => {
  it('staff see the entry (kept up to date, filterable by type and channel); the customer on /me/timeline does not', async () => {
    const c = await customer('Tim');
    const a = await activity({ subject: 'Intro call', customerId: c.id });
    const timeline = async (query = '', role: Role = 'agent') => {
      const res = await t.call('GET', `/customers/${c.id}/timeline${query}`, { role });
      expect(res.status, res.text).toBe(200);
      return res.json.items as { kind: string; id: string; type: string; channel: string; summary: string; data: Record<string, unknown> }[];
    };
    expect((await timeline()).filter((e) => e.kind === 'activity')).toMatchObject([{ id: a.id, type: 'activity_call', channel: 'phone', summary: 'Intro call', data: { completedAt: null } }]);

    const done = await patchActivity(a.id, { completed: true, subject: 'Intro call (held)' });
    expect(done.status).toBe(200);
    const entries = (await timeline()).filter((e) => e.kind === 'activity');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ id: a.id, summary: 'Intro call (held)', data: { completedAt: done.json.completedAt } });
    expect(ids(await timeline('?type=activity_call'))).toEqual([a.id]);
    expect(ids(await timeline('?channel=phone'))).toEqual([a.id]);
    expect(await timeline('?channel=email')).toEqual([]);
    expect(ids(await timeline('', 'marketer'))).toContain(a.id);

    const mine = await t.call('GET', '/me/timeline', { role: null, headers: { authorization: `Bearer ${await t.token('customer', c.id)}` } });
    expect(mine.status).toBe(200);
    expect(mine.json.items.some((e: { kind: string }) => e.kind === 'activity')).toBe(false);
  });

  it('refuses a link to an unknown customer (422) and writes nothing', async () => {
    const owner = `nobody-${unique()}`;
    const res = await t.call('POST', '/activities', { role: 'agent', body: { type: 'call', subject: 'x', ownerId: owner, customerId: 'no-such-customer' } });
    expect(res.status).toBe(422);
    expect(res.json.type).toBe('urn:ecrm:problem:unknown-customer');
    expect((await t.call('GET', `/activities?owner=${owner}`)).json.items).toEqual([]);
  });
});

describe('the account timeline', () => {
  it("merges the contacts' entries, the account's opportunities (as they stand) and its activities newest first, paged across every source", async () => {
    const acme = await created('/accounts', { name: `Acme Timeline ${unique()}` });
    const contact = await customer('Cora');
    expect((await t.call('PUT', `/accounts/${acme.id}/contacts/${contact.id}`, { body: { role: 'buyer' } })).status).toBe(200);
    expect((await t.call('POST', `/customers/${contact.id}/interactions`, { body: { channel: 'web', type: 'visit', occurredAt: new Date(Date.now() - 86_400_000).toISOString() } })).status).toBe(201);
    const deal = (name: string) => created('/opportunities', { accountId: acme.id, name, amount: 1000, currency: 'EUR', closeDate: '2027-03-31' });
    const first = await deal('First deal');
    const onAccount = await activity({ subject: 'Account call', accountId: acme.id });
    const second = await deal('Second deal');
    const onOpportunity = await activity({ type: 'task', subject: 'Send quote', opportunityId: second.id });
    expect(onOpportunity.accountId).toBe(acme.id);
    const withContact = await activity({ type: 'meeting', subject: 'Meet Cora', customerId: contact.id, accountId: acme.id });
    const elsewhere = await activity({ subject: 'Other account', accountId: 'some-other-account' });
    const moved = await t.call('PATCH', `/opportunities/${first.id}`, { body: { stage: 'proposal', amount: 2500 }, headers: mergePatch });
    expect(moved.status, moved.text).toBe(200);

    type Entry = { kind: string; id: string; type: string; value: { amount: number } | null };
    const readAll = async (limit: number, role: Role = 'agent') => {
      const entries: Entry[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res: { status: number; json: { items: Entry[]; nextCursor: string | null } } = await t.call('GET', `/accounts/${acme.id}/timeline?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { role });
        expect(res.status, JSON.stringify(res.json)).toBe(200);
        entries.push(...res.json.items);
        cursor = res.json.nextCursor;
        pages++;
      } while (cursor && pages < 30);
      return entries;
    };
    const expected = [withContact.id, onOpportunity.id, second.id, onAccount.id, first.id];
    const whole = await eventually(async () => {
      const entries = await readAll(100);
      return entries.length === expected.length + 1 ? entries : undefined;
    });
    expect(ids(whole).slice(0, expected.length)).toEqual(expected);
    expect(whole.at(-1)!.kind).toBe('interaction');
    expect(ids(whole)).not.toContain(elsewhere.id);
    expect(whole.find((e) => e.id === first.id)).toMatchObject({ kind: 'opportunity', type: 'opportunity_proposal', value: { amount: 2500 } });
    expect(whole.filter((e) => e.id === withContact.id)).toHaveLength(1);
    for (const limit of [1, 2, 3]) expect(await readAll(limit)).toEqual(whole);
    expect(await readAll(2, 'marketer')).toEqual(whole);
  });
});

describe('GET /activities by related record', () => {
  it('lists the activities of an account, an opportunity or a customer, newest first; one filter at a time', async () => {
    const acme = await created('/accounts', { name: `Acme Filters ${unique()}` });
    const c = await customer('Fil');
    const opp = await created('/opportunities', { accountId: acme.id, name: 'Deal', amount: 10, currency: 'EUR', closeDate: '2027-03-31' });
    const a1 = await activity({ subject: 'one', accountId: acme.id, customerId: c.id });
    const a2 = await activity({ subject: 'two', opportunityId: opp.id });
    const a3 = await activity({ subject: 'three', customerId: c.id });
    const list = async (query: string) => {
      const res = await t.call('GET', `/activities?${query}`, { role: 'marketer' });
      expect(res.status, res.text).toBe(200);
      return ids(res.json.items);
    };
    await eventually(async () => ((await list(`account=${acme.id}`)).length === 2 ? true : undefined));
    expect(await list(`account=${acme.id}`)).toEqual([a2.id, a1.id]);
    expect(await eventually(async () => ((await list(`opportunity=${opp.id}`)).length ? list(`opportunity=${opp.id}`) : undefined))).toEqual([a2.id]);
    expect(await eventually(async () => ((await list(`customer=${c.id}`)).length === 2 ? list(`customer=${c.id}`) : undefined))).toEqual([a3.id, a1.id]);
    const paged = await t.call('GET', `/activities?account=${acme.id}&limit=1`);
    expect(ids(paged.json.items)).toEqual([a2.id]);
    const next = await t.call('GET', `/activities?account=${acme.id}&limit=1&cursor=${encodeURIComponent(paged.json.nextCursor)}`);
    expect(ids(next.json.items)).toEqual([a1.id]);
    expect((await t.call('GET', `/activities?customer=${c.id}&cursor=${encodeURIComponent(paged.json.nextCursor)}`)).status).toBe(400);
    for (const bad of [`account=${acme.id}&customer=${c.id}`, `owner=rep-1&opportunity=${opp.id}`, `account=${acme.id}&open=true`, 'customer=bad%20id']) {
      const res = await t.call('GET', `/activities?${bad}`);
      expect(res.status, bad).toBe(400);
    }
  });
});

describe("a customer's erasure", () => {
  it('unlinks their activities and drops the subject; the timeline entries go with the customer', async () => {
    const c = await customer('Gone');
    const a = await activity({ subject: 'Call Gone about their health', customerId: c.id, accountId: 'acc-erasure' });
    const profile = await t.call('GET', `/customers/${c.id}`);
    expect((await t.call('DELETE', `/customers/${c.id}`, { role: 'admin', headers: { 'if-match': profile.headers.get('etag')! } })).status).toBe(204);
    const scrubbed = await eventually(async () => {
      const res = await t.call('GET', `/activities/${a.id}`);
      return res.json.customerId === null ? res.json : undefined;
    });
    expect(scrubbed).toMatchObject({ subject: '[erased]', customerId: null, accountId: 'acc-erasure' });
    expect(JSON.stringify(scrubbed)).not.toContain('Gone');
    expect((await t.call('GET', `/activities?customer=${c.id}`)).json.items).toEqual([]);
    expect((await t.call('GET', `/customers/${c.id}/timeline`)).status).toBe(404);
    // Still workable once unlinked; a new link to the erased customer is refused.
    expect((await patchActivity(a.id, { completed: true })).status).toBe(200);
    expect((await t.call('POST', '/activities', { body: { type: 'call', subject: 'x', ownerId: 'rep-1', customerId: c.id } })).status).toBe(422);
  });
});
