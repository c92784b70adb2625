import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

let t: TestRuntime;
beforeAll(async () => {
  t = await startTestRuntime();
});
afterAll(async () => {
  await t?.runtime.stop();
});

const unique = () => `${Math.random().toString(36).slice(2, 10)}@example.com`;

describe('customers over HTTP (local runtime)', () => {
  it('creates a customer with 201, Location and ETag, stores the email lowercased', async () => {
    const email = `Ada.${unique()}`.replace('@', '@EX-');
    const created = await t.call('POST', '/customers', {
      body: { email, firstName: 'Ada', lastName: 'Lovelace', phone: '+442071234567', locale: 'en-GB', timezone: 'Europe/London', attributes: { plan: 'gold', seats: 3, active: true }, tags: ['vip', 'beta'] },
    });
    expect(created.status).toBe(201);
    expect(created.json.email).toBe(email.toLowerCase());
    expect(created.json.version).toBe(1);
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.headers.get('location')).toBe(`/customers/${created.json.id}`);

    const read = await t.call('GET', created.headers.get('location')!);
    expect(read.status).toBe(200);
    expect(read.json).toEqual(created.json);
    expect(read.headers.get('etag')).toBe('"1"');
  });

  it('refuses a second customer with the same email in any letter case (409)', async () => {
    const email = unique();
    expect((await t.call('POST', '/customers', { body: { email } })).status).toBe(201);
    const dup = await t.call('POST', '/customers', { body: { email: email.toUpperCase() } });
    expect(dup.status).toBe(409);
    expect(dup.headers.get('content-type')).toBe('application/problem+json');
    expect(dup.json).toMatchObject({ type: 'urn:ecrm:problem:email-taken', status: 409 });
  });

  it('answers 404 problem+json for an unknown id', async () => {
    const res = await t.call('GET', '/customers/does-not-exist');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });

  it('finds a customer by exact email, case-insensitively', async () => {
    const email = unique();
    const { json: created } = await t.call('POST', '/customers', { body: { email } });
    const found = await t.call('GET', `/customers?email=${encodeURIComponent(email.toUpperCase())}`);
    expect(found.status).toBe(200);
    expect(found.json).toEqual({ items: [created], nextCursor: null });
    const none = await t.call('GET', `/customers?email=${encodeURIComponent(unique())}`);
    expect(none.json).toEqual({ items: [], nextCursor: null });
  });

  it('lists newest first across pages with an opaque cursor, and filters by tag', async () => {
    const tag = `t${Date.now()}`;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const { json } = await t.call('POST', '/customers', { body: { email: unique(), tags: [tag] } });
      ids.push(json.id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await t.call('GET', `/customers?tag=${tag}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.json.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.json.items.map((c: { id: string }) => c.id));
      cursor = res.json.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([...ids].reverse());

    const all = await t.call('GET', '/customers?limit=100');
    const positions = ids.map((id) => all.json.items.findIndex((c: { id: string }) => c.id === id));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => b - a));
  });

  it('rejects malformed limit and cursor with 400', async () => {
    for (const query of ['limit=0', 'limit=101', 'limit=abc', 'cursor=%%%', 'cursor=eyJ4IjoxfQ', 'unknown=1']) {
      const res = await t.call('GET', `/customers?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
    }
    // a well-formed cursor for another partition is refused before it reaches DynamoDB
    const forged = Buffer.from(JSON.stringify({ q: 'all', k: { pk: 'CUSTOMER#x', sk: 'PROFILE', gsi1pk: 'TAG#vip', gsi1sk: 'z' } })).toString('base64url');
    const forgedRes = await t.call('GET', `/customers?cursor=${forged}`);
    expect(forgedRes.status).toBe(400);
    expect(forgedRes.json.errors).toEqual([{ path: 'cursor', message: 'is not a cursor this listing issued' }]);
    const page = await t.call('GET', '/customers?limit=1');
    const tagCursor = await t.call('GET', `/customers?tag=none&cursor=${page.json.nextCursor}`);
    expect(tagCursor.status).toBe(400);
  });

  it('patches with JSON merge patch and bumps version and ETag', async () => {
    const { json: created } = await t.call('POST', '/customers', {
      body: { email: unique(), firstName: 'Grace', phone: '+15551234567', attributes: { a: 1, b: 'x' }, tags: ['one'] },
    });
    const res = await t.call('PATCH', `/customers/${created.id}`, {
      body: { phone: null, lastName: 'Hopper', attributes: { a: null, c: true }, tags: ['two'] },
      headers: { 'content-type': 'application/merge-patch+json', 'if-match': '"1"' },
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ firstName: 'Grace', lastName: 'Hopper', phone: null, attributes: { b: 'x', c: true }, tags: ['two'], version: 2 });
    expect(res.headers.get('etag')).toBe('"2"');
    const byOldTag = await t.call('GET', '/customers?tag=one');
    expect(byOldTag.json.items.map((c: { id: string }) => c.id)).not.toContain(created.id);
    const byNewTag = await t.call('GET', '/customers?tag=two');
    expect(byNewTag.json.items.map((c: { id: string }) => c.id)).toContain(created.id);
  });

  it('answers 412 to a stale If-Match and changes nothing', async () => {
    const { json: created } = await t.call('POST', '/customers', { body: { email: unique() } });
    await t.call('PATCH', `/customers/${created.id}`, { body: { firstName: 'A' } });
    const stale = await t.call('PATCH', `/customers/${created.id}`, { body: { firstName: 'B' }, headers: { 'if-match': '"1"' } });
    expect(stale.status).toBe(412);
    const read = await t.call('GET', `/customers/${created.id}`);
    expect(read.json).toMatchObject({ firstName: 'A', version: 2 });
  });

  it('never loses an update when writers race without If-Match', async () => {
    const { json: created } = await t.call('POST', '/customers', { body: { email: unique() } });
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => t.call('PATCH', `/customers/${created.id}`, { body: { attributes: { [`k${i}`]: i } } })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(200));
    const read = await t.call('GET', `/customers/${created.id}`);
    expect(Object.keys(read.json.attributes).sort()).toEqual(['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7']);
    expect(read.json.version).toBe(9);
  });

  it('refuses an email already taken on PATCH (409) and keeps both records intact', async () => {
    const a = (await t.call('POST', '/customers', { body: { email: unique() } })).json;
    const b = (await t.call('POST', '/customers', { body: { email: unique() } })).json;
    const res = await t.call('PATCH', `/customers/${b.id}`, { body: { email: a.email } });
    expect(res.status).toBe(409);
    expect((await t.call('GET', `/customers/${b.id}`)).json).toEqual(b);
    const moved = await t.call('PATCH', `/customers/${b.id}`, { body: { email: `new-${b.email}` } });
    expect(moved.status).toBe(200);
    // the old address is free again
    expect((await t.call('POST', '/customers', { body: { email: b.email } })).status).toBe(201);
  });

  it('rejects read-only and unknown fields with named paths', async () => {
    const { json: created } = await t.call('POST', '/customers', { body: { email: unique() } });
    const res = await t.call('PATCH', `/customers/${created.id}`, { body: { id: 'x', version: 7, nickname: 'y' } });
    expect(res.status).toBe(400);
    expect(res.json.errors).toEqual(
      expect.arrayContaining([
        { path: 'id', message: 'is read-only and cannot be set' },
        { path: 'version', message: 'is read-only and cannot be set' },
        { path: 'nickname', message: 'is not a known field' },
      ]),
    );
  });

  it('deletes with 204, frees the email, and answers 404 the second time', async () => {
    const email = unique();
    const { json: created } = await t.call('POST', '/customers', { body: { email, tags: ['gone'] } });
    const erase = (headers: Record<string, string>, role: 'admin' | 'manager' | 'agent' = 'manager') => t.call('DELETE', `/customers/${created.id}`, { role, headers });
    const missing = await erase({});
    expect(missing.status).toBe(428);
    expect(missing.headers.get('content-type')).toBe('application/problem+json');
    expect((await erase({ 'if-match': '"1"' }, 'agent')).status).toBe(403);
    expect((await erase({ 'if-match': '"2"' })).status).toBe(412);
    expect((await t.call('GET', `/customers/${created.id}`)).status).toBe(200);
    expect((await erase({ 'if-match': '"1"' })).status).toBe(204);
    expect((await t.call('GET', `/customers/${created.id}`)).status).toBe(404);
    expect((await erase({ 'if-match': '"1"' }, 'admin')).status).toBe(404);
    expect((await t.call('GET', `/customers?email=${email}`)).json.items).toEqual([]);
    expect((await t.call('POST', '/customers', { body: { email } })).status).toBe(201);
  });

  it('replays a POST retried with the same Idempotency-Key and creates nothing new', async () => {
    const body = { email: unique(), firstName: 'Retry' };
    const key = `key-${Date.now()}`;
    const first = await t.call('POST', '/customers', { body, headers: { 'idempotency-key': key } });
    const second = await t.call('POST', '/customers', { body, headers: { 'idempotency-key': key } });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.json).toEqual(first.json);
    expect(second.headers.get('location')).toBe(first.headers.get('location'));
    const found = await t.call('GET', `/customers?email=${body.email}`);
    expect(found.json.items).toHaveLength(1);
    const other = await t.call('POST', '/customers', { body: { ...body, firstName: 'Other' }, headers: { 'idempotency-key': key } });
    expect(other.status).toBe(422);
  });

  it('enforces roles: marketer reads only, customer tokens and missing tokens are refused', async () => {
    const { json: created } = await t.call('POST', '/customers', { body: { email: unique() } });
    expect((await t.call('GET', `/customers/${created.id}`, { role: 'marketer' })).status).toBe(200);
    expect((await t.call('GET', '/customers', { role: 'marketer' })).status).toBe(200);
    expect((await t.call('POST', '/customers', { role: 'marketer', body: { email: unique() } })).status).toBe(403);
    expect((await t.call('PATCH', `/customers/${created.id}`, { role: 'marketer', body: { firstName: 'x' } })).status).toBe(403);
    expect((await t.call('DELETE', `/customers/${created.id}`, { role: 'marketer' })).status).toBe(403);
    expect((await t.call('GET', `/customers/${created.id}`, { role: 'customer' })).status).toBe(403);
    for (const role of ['admin', 'manager'] as const) {
      expect((await t.call('PATCH', `/customers/${created.id}`, { role, body: { firstName: role } })).status).toBe(200);
    }
    expect((await t.call('GET', `/customers/${created.id}`, { role: null })).status).toBe(401);
    const bad = await t.call('GET', `/customers/${created.id}`, { role: null, headers: { authorization: 'Bearer not.a.jwt' } });
    expect(bad.status).toBe(401);
  });

  it('publishes CustomerCreated, CustomerUpdated and CustomerErased through the outbox without personal data', async () => {
    const email = unique();
    const { json: created } = await t.call('POST', '/customers', { body: { email, firstName: 'Secretname' } });
    await t.call('PATCH', `/customers/${created.id}`, { body: { lastName: 'Hidden' } });
    await t.call('DELETE', `/customers/${created.id}`, { role: 'admin', headers: { 'if-match': '"2"' } });
    await t.runtime.idle();
    const mine = await eventually(async () => {
      const { json } = await t.call('GET', '/_local/events?limit=500', { role: null });
      const found = json.items.filter((e: { detail: { data: { customerId: string } } }) => e.detail.data.customerId === created.id);
      return found.length >= 3 ? found : undefined;
    });
    expect(mine.map((e: { detailType: string }) => e.detailType)).toEqual(['CustomerErased', 'CustomerUpdated', 'CustomerCreated']);
    expect(mine[2].detail.data.fields).toEqual(['email', 'firstName']);
    expect(mine[1].detail.data).toEqual({ customerId: created.id, changed: ['lastName'], version: 2 });
    const text = JSON.stringify(mine);
    expect(text).not.toContain(email);
    expect(text).not.toContain('Secretname');
    expect(text).not.toContain('Hidden');
  });

  it('serves a valid OpenAPI 3.1 document without a token', async () => {
    const res = await t.call('GET', '/openapi.json', { role: null });
    expect(res.status).toBe(200);
    expect(res.json.openapi).toBe('3.1.0');
    expect(Object.keys(res.json.paths)).toEqual(expect.arrayContaining(['/customers', '/customers/{id}']));
  });
});
