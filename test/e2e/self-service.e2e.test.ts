import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

// The customer's own API (/me, /me/cases) through the real local runtime: the customer is the
// token's custom:customerId, what they read is their own view, and writes go through the same
// use cases as the staff's (events, timeline, SLA timers).

let t: TestRuntime;
beforeAll(async () => {
  t = await startTestRuntime();
});
afterAll(async () => {
  await t?.runtime.stop();
});

const ME_KEYS = ['createdAt', 'email', 'firstName', 'id', 'lastName', 'locale', 'phone', 'timezone', 'updatedAt', 'version'];
const MY_CASE_KEYS = ['channel', 'closedAt', 'createdAt', 'description', 'id', 'number', 'solvedAt', 'status', 'subject', 'updatedAt'];
const MY_COMMENT_KEYS = ['authorType', 'body', 'caseId', 'createdAt', 'id'];

async function customer(email: string, extra: Record<string, unknown> = {}) {
  const res = await t.call('POST', '/customers', { body: { email, firstName: 'Ada', tags: ['vip'], attributes: { tier: 'gold' }, ...extra } });
  expect(res.status, res.text).toBe(201);
  return res.json as { id: string };
}

/** Calls as the customer `customerId` signed in (a customer token carrying custom:customerId). */
async function as(customerId: string | undefined, method: string, path: string, options: { body?: unknown; headers?: Record<string, string> } = {}) {
  const token = await t.token('customer', customerId);
  return t.call(method, path, { role: null, ...options, headers: { authorization: `Bearer ${token}`, ...options.headers } });
}

describe('GET and PATCH /me', () => {
  it('shows the profile without staff fields, with an ETag', async () => {
    const { id } = await customer('me-get@example.com', { lastName: 'Lovelace', locale: 'en-GB' });
    const res = await as(id, 'GET', '/me');
    expect(res.status).toBe(200);
    expect(Object.keys(res.json).sort()).toEqual(ME_KEYS);
    expect(res.json).toMatchObject({ id, email: 'me-get@example.com', firstName: 'Ada', lastName: 'Lovelace', locale: 'en-GB', phone: null, version: 1 });
    expect(res.headers.get('etag')).toBe('"1"');
  });

  it('changes names, phone, locale and timezone (merge patch, If-Match), and nothing else', async () => {
    const { id } = await customer('me-patch@example.com');
    const patched = await as(id, 'PATCH', '/me', {
      body: { lastName: 'King', phone: '+4915112345678', timezone: 'Europe/London', firstName: null },
      headers: { 'content-type': 'application/merge-patch+json', 'if-match': '"1"' },
    });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.json).toMatchObject({ firstName: null, lastName: 'King', phone: '+4915112345678', timezone: 'Europe/London', version: 2 });
    expect(patched.headers.get('etag')).toBe('"2"');
    const staff = (await t.call('GET', `/customers/${id}`)).json;
    expect(staff).toMatchObject({ lastName: 'King', tags: ['vip'], attributes: { tier: 'gold' }, email: 'me-patch@example.com', version: 2 });

    for (const field of ['email', 'tags', 'attributes', 'id', 'version', 'shoeSize']) {
      const refused = await as(id, 'PATCH', '/me', { body: { [field]: field === 'tags' ? [] : 'x' } });
      expect(refused.status, field).toBe(400);
      expect(refused.json.errors.map((e: { path: string }) => e.path)).toEqual([field]);
    }
    const stale = await as(id, 'PATCH', '/me', { body: { lastName: 'Byron' }, headers: { 'if-match': '"1"' } });
    expect(stale.status).toBe(412);
    expect((await t.call('GET', `/customers/${id}`)).json).toEqual(staff);
  });

  it('a token without custom:customerId is 403; one whose profile is gone or merged away is 404 saying so', async () => {
    const noClaim = await as(undefined, 'GET', '/me');
    expect(noClaim.status).toBe(403);
    expect(noClaim.json.detail).toContain('custom:customerId');

    const missing = await as('nobody-is-called-this', 'GET', '/me');
    expect(missing.status).toBe(404);
    expect(missing.json.detail).toContain('profile does not exist');
    expect((await as('nobody-is-called-this', 'GET', '/me/cases')).status).toBe(404);
    expect((await as('nobody-is-called-this', 'POST', '/me/cases', { body: { subject: 'Hello' } })).status).toBe(404);

    const target = await customer('me-target@example.com');
    const source = await customer('me-source@example.com');
    expect((await t.call('POST', `/customers/${target.id}/merge`, { body: { sourceId: source.id } })).status).toBe(200);
    for (const [method, path] of [['GET', '/me'], ['PATCH', '/me'], ['GET', '/me/timeline'], ['GET', '/me/export'], ['GET', '/me/cases']] as const) {
      const res = await as(source.id, method, path, method === 'PATCH' ? { body: { firstName: 'X' } } : {});
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.json.detail, `${method} ${path}`).toContain('merged');
      expect(res.text).not.toContain(target.id);
    }

    const erased = await customer('me-erased@example.com');
    expect((await t.call('DELETE', `/customers/${erased.id}`, { role: 'admin', headers: { 'if-match': '"1"' } })).status).toBe(204);
    expect((await as(erased.id, 'GET', '/me')).status).toBe(404);
    expect((await as(erased.id, 'GET', '/me/export')).status).toBe(404);
  });
});

describe('/me/cases', () => {
  it('opens a case on channel web for the token customer, queue general, priority normal, with SLA timers', async () => {
    const { id } = await customer('cases-open@example.com');
    const res = await as(id, 'POST', '/me/cases', { body: { subject: 'Where is my parcel?', description: 'Ordered last week' } });
    expect(res.status, res.text).toBe(201);
    expect(Object.keys(res.json).sort()).toEqual(MY_CASE_KEYS);
    expect(res.json).toMatchObject({ subject: 'Where is my parcel?', description: 'Ordered last week', status: 'open', channel: 'web', solvedAt: null, closedAt: null });
    expect(res.headers.get('location')).toBe(`/me/cases/${res.json.id}`);
    const staff = (await t.call('GET', `/cases/${res.json.id}`)).json;
    expect(staff).toMatchObject({ customerId: id, queue: 'general', priority: 'normal', channel: 'web', assigneeId: null });
    expect(staff.sla.firstResponseDueAt).toEqual(expect.any(String));
    const timeline = (await as(id, 'GET', '/me/timeline')).json.items;
    expect(timeline.map((e: { kind: string; data: { caseId?: string } }) => [e.kind, e.data.caseId])).toContainEqual(['case', res.json.id]);

    expect((await as(id, 'POST', '/me/cases', { body: { subject: 'x', customerId: 'someone-else' } })).status).toBe(400);
    expect((await as(id, 'POST', '/me/cases', { body: { subject: 'x', queue: 'vip' } })).status).toBe(400);
    expect((await as(id, 'POST', '/me/cases', { body: { subject: '  ' } })).status).toBe(400);
  });

  it('lists the customer cases newest first, filtered by status, page by page', async () => {
    const { id } = await customer('cases-list@example.com');
    const other = await customer('cases-list-other@example.com');
    await as(other.id, 'POST', '/me/cases', { body: { subject: 'Not yours' } });
    const opened = [];
    for (const subject of ['first', 'second', 'third']) opened.push((await as(id, 'POST', '/me/cases', { body: { subject } })).json);
    await t.call('PATCH', `/cases/${opened[1].id}`, { body: { status: 'solved' } });

    const all = (await as(id, 'GET', '/me/cases')).json;
    expect(all.items.map((c: { subject: string }) => c.subject)).toEqual(['third', 'second', 'first']);
    for (const item of all.items) expect(Object.keys(item).sort()).toEqual(MY_CASE_KEYS);
    expect((await as(id, 'GET', '/me/cases?status=solved')).json.items.map((c: { subject: string }) => c.subject)).toEqual(['second']);

    const first = (await as(id, 'GET', '/me/cases?status=open&limit=1')).json;
    expect(first.items.map((c: { subject: string }) => c.subject)).toEqual(['third']);
    const second = (await as(id, 'GET', `/me/cases?status=open&limit=1&cursor=${first.nextCursor}`)).json;
    expect(second).toEqual({ items: [expect.objectContaining({ subject: 'first' })], nextCursor: null });
    const unfiltered = (await as(id, 'GET', '/me/cases?limit=2')).json;
    expect((await as(id, 'GET', `/me/cases?limit=2&cursor=${unfiltered.nextCursor}`)).json.items.map((c: { subject: string }) => c.subject)).toEqual(['first']);
    expect((await as(id, 'GET', `/me/cases?status=solved&cursor=${first.nextCursor}`)).status).toBe(400);
    expect((await as(id, 'GET', '/me/cases?status=lost')).status).toBe(400);
  });

  it('shows public comments only, without staff ids; a reply reopens a pending or solved case; close only when solved', async () => {
    const { id } = await customer('cases-talk@example.com');
    const opened = (await as(id, 'POST', '/me/cases', { body: { subject: 'Broken kettle' } })).json;
    const caseUrl = `/me/cases/${opened.id}`;
    await t.call('POST', `/cases/${opened.id}/comments`, { body: { body: 'Customer sounds upset; check warranty', visibility: 'internal' } });
    await t.call('POST', `/cases/${opened.id}/comments`, { body: { body: 'Could you send a photo?', visibility: 'public' } });
    await t.call('PATCH', `/cases/${opened.id}`, { body: { status: 'pending' } });

    const listed = (await as(id, 'GET', `${caseUrl}/comments`)).json;
    expect(listed.items).toEqual([{ id: expect.any(String), caseId: opened.id, body: 'Could you send a photo?', authorType: 'staff', createdAt: expect.any(String) }]);
    expect(JSON.stringify(listed)).not.toContain('warranty');

    const reply = await as(id, 'POST', `${caseUrl}/comments`, { body: { body: 'Here it is' } });
    expect(reply.status, reply.text).toBe(201);
    expect(Object.keys(reply.json).sort()).toEqual(MY_COMMENT_KEYS);
    expect(reply.json).toMatchObject({ caseId: opened.id, body: 'Here it is', authorType: 'customer' });
    expect((await as(id, 'GET', caseUrl)).json.status).toBe('open');
    const staffComments = (await t.call('GET', `/cases/${opened.id}/comments`)).json.items;
    expect(staffComments.at(-1)).toMatchObject({ body: 'Here it is', visibility: 'public', authorType: 'customer', authorId: id });

    const early = await as(id, 'POST', `${caseUrl}/close`);
    expect(early.status).toBe(409);
    expect(early.json.type).toBe('urn:ecrm:problem:status-move');

    await t.call('PATCH', `/cases/${opened.id}`, { body: { status: 'solved' } });
    await as(id, 'POST', `${caseUrl}/comments`, { body: { body: 'Still broken' } });
    const reopened = (await as(id, 'GET', caseUrl)).json;
    expect(reopened).toMatchObject({ status: 'open', solvedAt: null });
    const staffTimeline = (await t.call('GET', `/customers/${id}/timeline?limit=100`)).json.items;
    expect(staffTimeline.filter((e: { kind: string; direction: string }) => e.kind === 'case_comment' && e.direction === 'inbound')).toHaveLength(2);

    await t.call('PATCH', `/cases/${opened.id}`, { body: { status: 'solved' } });
    const closed = await as(id, 'POST', `${caseUrl}/close`);
    expect(closed.status, closed.text).toBe(200);
    expect(Object.keys(closed.json).sort()).toEqual(MY_CASE_KEYS);
    expect(closed.json).toMatchObject({ status: 'closed', closedAt: expect.any(String) });
    const late = await as(id, 'POST', `${caseUrl}/comments`, { body: { body: 'One more thing' } });
    expect(late.status).toBe(409);
    expect(late.json.type).toBe('urn:ecrm:problem:case-closed');
    expect((await as(id, 'POST', `${caseUrl}/close`)).json.type).toBe('urn:ecrm:problem:case-closed');
    expect((await as(id, 'GET', `${caseUrl}/comments`)).json.items.map((c: { body: string }) => c.body)).toEqual(['Could you send a photo?', 'Here it is', 'Still broken']);
  });
});

describe('GET /me/timeline and /me/export', () => {
  it('the timeline shows the customer their interactions, cases, public comments, consents and emails, never internal notes', async () => {
    const { id } = await customer('timeline-me@example.com');
    await t.call('POST', `/customers/${id}/interactions`, { body: { channel: 'web', type: 'page_view', summary: 'Pricing page' } });
    await t.call('PUT', '/topics', { role: 'admin', body: [{ id: 'service-news', name: 'Service news', purpose: 'marketing' }] });
    expect((await t.call('POST', `/customers/${id}/consents`, { body: { topic: 'service-news', action: 'request' } })).status).toBe(202);
    const opened = (await as(id, 'POST', '/me/cases', { body: { subject: 'Invoice wrong' } })).json;
    await t.call('POST', `/cases/${opened.id}/comments`, { body: { body: 'internal: refund likely', visibility: 'internal' } });
    await t.call('POST', `/cases/${opened.id}/comments`, { body: { body: 'We are on it', visibility: 'public' } });
    // The opt-in email goes out from the consent's event, a moment later: its entry is the last to land.
    const kindsOf = (page: { items: { kind: string }[] }) => [...new Set(page.items.map((e) => e.kind))].sort();
    const res = await eventually(async () => {
      const page = await as(id, 'GET', '/me/timeline?limit=100');
      return kindsOf(page.json).includes('email') ? page : undefined;
    });
    expect(res.status).toBe(200);
    expect(kindsOf(res.json)).toEqual(['case', 'case_comment', 'consent', 'email', 'interaction']);
    expect(res.text).not.toContain('refund likely');
    const staff = (await t.call('GET', `/customers/${id}/timeline?limit=100`)).json;
    expect(res.json).toEqual(staff);
    expect((await as(id, 'GET', '/me/timeline?type=case_opened')).json.items).toHaveLength(1);
  });

  it('the export is the document staff get for the same customer', async () => {
    const { id } = await customer('export-me@example.com');
    await as(id, 'POST', '/me/cases', { body: { subject: 'Export me' } });
    const mine = await as(id, 'GET', '/me/export');
    expect(mine.status).toBe(200);
    expect(mine.headers.get('content-disposition')).toBe(`attachment; filename="customer-${id}.json"`);
    const staff = (await t.call('GET', `/customers/${id}/export`, { role: 'admin' })).json;
    expect({ ...mine.json, exportedAt: null }).toEqual({ ...staff, exportedAt: null });
    expect(mine.json.customer.id).toBe(id);
    expect(mine.json.cases).toHaveLength(1);
  });
});
