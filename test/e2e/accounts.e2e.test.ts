import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

// Accounts and contacts through the local runtime: CRUD, roles, If-Match, idempotent creation,
// parent loops, contacts both ways (the account's list, the customer's accounts), the account
// timeline merged from its contacts' timelines, and erasure in both directions.

let t: TestRuntime;
type Role = 'admin' | 'manager' | 'agent' | 'marketer';
const mergePatch = { 'content-type': 'application/merge-patch+json' };

async function account(body: Record<string, unknown>, role: Role = 'agent') {
  const res = await t.call('POST', '/accounts', { role, body });
  expect(res.status, res.text).toBe(201);
  return res.json;
}
async function customer(email: string) {
  const res = await t.call('POST', '/customers', { body: { email } });
  expect(res.status, res.text).toBe(201);
  return res.json;
}
const patch = (id: string, body: Record<string, unknown>, version?: number, role: Role = 'agent') =>
  t.call('PATCH', `/accounts/${id}`, { role, body, headers: { ...mergePatch, ...(version ? { 'if-match': `"${version}"` } : {}) } });
const link = (accountId: string, customerId: string, role = 'buyer', as: Role = 'agent') => t.call('PUT', `/accounts/${accountId}/contacts/${customerId}`, { role: as, body: { role } });

beforeAll(async () => {
  t = await startTestRuntime();
});
afterAll(async () => {
  await t?.runtime.stop();
});

describe('accounts', () => {
  it('creates (201, Location, ETag, defaults, AccountCreated on the bus), reads, patches and deletes', async () => {
    const created = await t.call('POST', '/accounts', { role: 'agent', body: { name: '  Globex Corp ', domain: 'Globex.COM', size: '51-200', tags: ['b2b', 'b2b'], attributes: { tier: 'gold' } } });
    expect(created.status, created.text).toBe(201);
    const a = created.json;
    expect(created.headers.get('location')).toBe(`/accounts/${a.id}`);
    expect(created.headers.get('etag')).toBe('"1"');
    expect(a).toMatchObject({ name: 'Globex Corp', domain: 'globex.com', size: '51-200', tags: ['b2b'], attributes: { tier: 'gold' }, type: 'customer', parentAccountId: null, industry: null, version: 1 });
    expect(typeof a.ownerId).toBe('string');
    const events = await eventually(async () => {
      const items = (await t.call('GET', '/_local/events?limit=500', { role: null })).json.items as { detailType: string; source: string; detail: { data: Record<string, unknown> } }[];
      return items.find((e) => e.detailType === 'AccountCreated' && e.detail.data.accountId === a.id);
    });
    expect(events.source).toBe('crm.sales');
    expect(events.detail.data).toEqual({ accountId: a.id, ownerId: a.ownerId });

    const read = await t.call('GET', `/accounts/${a.id}`, { role: 'marketer' });
    expect(read.status).toBe(200);
    expect(read.json).toEqual(a);

    const changed = await patch(a.id, { industry: 'Energy', attributes: { tier: null, region: 'EU' }, size: null, type: 'partner' }, 1);
    expect(changed.status, changed.text).toBe(200);
    expect(changed.headers.get('etag')).toBe('"2"');
    expect(changed.json).toMatchObject({ industry: 'Energy', attributes: { region: 'EU' }, size: null, type: 'partner', version: 2 });

    const stale = await patch(a.id, { name: 'Late' }, 1);
    expect(stale.status).toBe(412);
    expect(stale.json.type).toBe('urn:ecrm:problem:stale-version');
    expect((await t.call('DELETE', `/accounts/${a.id}`, { role: 'manager', headers: { 'if-match': '"1"' } })).status).toBe(412);
    expect((await t.call('DELETE', `/accounts/${a.id}`, { role: 'manager', headers: { 'if-match': '"2"' } })).status).toBe(204);
    expect((await t.call('GET', `/accounts/${a.id}`)).status).toBe(404);
    // Its domain is free again.
    await account({ name: 'Globex Again', domain: 'globex.com' });
  });

  it('refuses bad input with 400 and read-only fields by name, and changes nothing', async () => {
    for (const body of [{}, { name: '' }, { name: 'x'.repeat(201) }, { name: 'A', domain: 'not a host' }, { name: 'A', size: '7' }, { name: 'A', type: 'reseller' }, { name: 'A', id: 'mine' }, { name: 'A', extra: 1 }]) {
      const res = await t.call('POST', '/accounts', { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    const a = await account({ name: 'Valid Inc' });
    expect((await patch(a.id, { version: 5 })).status).toBe(400);
    expect((await t.call('GET', `/accounts/${a.id}`)).json.version).toBe(1);
  });

  it('roles: marketers read but never write, managers and admins delete, agents may not delete; customers get 403 everywhere', async () => {
    const a = await account({ name: 'Roles Ltd' });
    expect((await t.call('POST', '/accounts', { role: 'marketer', body: { name: 'No' } })).status).toBe(403);
    expect((await patch(a.id, { name: 'No' }, undefined, 'marketer')).status).toBe(403);
    expect((await t.call('DELETE', `/accounts/${a.id}`, { role: 'agent' })).status).toBe(403);
    expect((await t.call('GET', '/accounts', { role: 'marketer' })).status).toBe(200);
    const c = await customer('roles-contact@example.com');
    expect((await link(a.id, c.id, 'buyer', 'marketer' as Role)).status).toBe(403);
    const asCustomer = { role: null, headers: { authorization: `Bearer ${await t.token('customer', c.id)}` } };
    for (const [method, path] of [
      ['GET', '/accounts'],
      ['GET', `/accounts/${a.id}`],
      ['GET', `/accounts/${a.id}/contacts`],
      ['GET', `/accounts/${a.id}/timeline`],
      ['GET', `/customers/${c.id}/accounts`],
      ['DELETE', `/accounts/${a.id}`],
    ] as const) {
      expect((await t.call(method, path, asCustomer)).status, `${method} ${path}`).toBe(403);
    }
    expect((await t.call('GET', `/accounts/${a.id}`)).status).toBe(200);
  });

  it('Idempotency-Key: a retry returns the first account and creates nothing; another body with the key is 422', async () => {
    const headers = { 'idempotency-key': 'account-once' };
    const first = await t.call('POST', '/accounts', { body: { name: 'Once Only GmbH' }, headers });
    const again = await t.call('POST', '/accounts', { body: { name: 'Once Only GmbH' }, headers });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.json).toEqual(first.json);
    expect((await t.call('GET', '/accounts?q=once only')).json.items).toHaveLength(1);
    expect((await t.call('POST', '/accounts', { body: { name: 'Another' }, headers })).status).toBe(422);
  });

  it('a domain names one account: 409 domain-taken on create and patch', async () => {
    await account({ name: 'Initech', domain: 'initech.example' });
    const taken = await t.call('POST', '/accounts', { body: { name: 'Copycat', domain: 'initech.example' } });
    expect(taken.status).toBe(409);
    expect(taken.json.type).toBe('urn:ecrm:problem:domain-taken');
    const other = await account({ name: 'Other', domain: 'other-initech.example' });
    const moved = await patch(other.id, { domain: 'initech.example' });
    expect(moved.status).toBe(409);
    expect((await t.call('GET', `/accounts/${other.id}`)).json.domain).toBe('other-initech.example');
    // Its own domain cleared and taken by another.
    expect((await patch(other.id, { domain: null })).status).toBe(200);
    await account({ name: 'Taker', domain: 'other-initech.example' });
  });

  it('parent chains: unknown parent 422, itself or a descendant 409 account-cycle', async () => {
    const unknown = await t.call('POST', '/accounts', { body: { name: 'Orphan', parentAccountId: 'no-such-account' } });
    expect(unknown.status).toBe(422);
    expect(unknown.json.type).toBe('urn:ecrm:problem:unknown-account');
    const top = await account({ name: 'Holding' });
    const mid = await account({ name: 'Division', parentAccountId: top.id });
    const leaf = await account({ name: 'Branch', parentAccountId: mid.id });
    for (const [id, parent] of [
      [top.id, top.id],
      [top.id, leaf.id],
      [mid.id, leaf.id],
    ]) {
      const res = await patch(id!, { parentAccountId: parent });
      expect(res.status, `${id} under ${parent}`).toBe(409);
      expect(res.json.type).toBe('urn:ecrm:problem:account-cycle');
    }
    expect((await patch(leaf.id, { parentAccountId: top.id })).json.parentAccountId).toBe(top.id);
    expect((await patch(leaf.id, { parentAccountId: null })).json.parentAccountId).toBeNull();
  });

  it('lists by name (A to Z), by case-insensitive name prefix, by exact domain and by tag, paged', async () => {
    for (const [name, tags] of [
      ['Zeta Listing', ['listing']],
      ['alpha Listing', ['listing', 'vip']],
      ['ALPHABET Listing', ['listing']],
      ['Beta Listing', ['other']],
    ] as const) {
      await account({ name, tags: [...tags], domain: `${name.split(' ')[0]!.toLowerCase()}-listing.example` });
    }
    const byPrefix = await t.call('GET', '/accounts?q=ALPHA', { role: 'marketer' });
    expect(byPrefix.json.items.map((a: { name: string }) => a.name)).toEqual(['alpha Listing', 'ALPHABET Listing']);
    const byDomain = await t.call('GET', '/accounts?q=beta-listing.example');
    expect(byDomain.json.items.map((a: { name: string }) => a.name)).toEqual(['Beta Listing']);
    expect((await t.call('GET', '/accounts?q=unknown.example')).json.items).toEqual([]);
    const tagged: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { json: { items: { name: string }[]; nextCursor: string | null } } = await t.call('GET', `/accounts?tag=listing&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      tagged.push(...res.json.items.map((a) => a.name));
      cursor = res.json.nextCursor;
    } while (cursor);
    expect(tagged).toEqual(['alpha Listing', 'ALPHABET Listing', 'Zeta Listing']);
    expect((await t.call('GET', '/accounts?q=alpha&tag=vip')).json.items.map((a: { name: string }) => a.name)).toEqual(['alpha Listing']);
  });
});

describe('contacts', () => {
  it('PUT adds a contact or changes its role (200), lists both ways, DELETE removes it; unknown customer 422', async () => {
    const a = await account({ name: 'Contacts Co' });
    const b = await account({ name: 'Contacts Two' });
    const c1 = await customer('contact-1@example.com');
    const c2 = await customer('contact-2@example.com');
    const added = await link(a.id, c1.id, 'buyer');
    expect(added.status, added.text).toBe(200);
    expect(added.json).toMatchObject({ accountId: a.id, customerId: c1.id, role: 'buyer' });
    const changed = await link(a.id, c1.id, 'decision maker');
    expect(changed.json).toEqual({ ...added.json, role: 'decision maker' });
    expect((await link(a.id, c2.id, 'user')).status).toBe(200);
    expect((await link(b.id, c1.id, 'champion')).status).toBe(200);

    const unknown = await link(a.id, 'no-such-customer');
    expect(unknown.status).toBe(422);
    expect(unknown.json.type).toBe('urn:ecrm:problem:unknown-customer');
    expect((await link('no-such-account', c1.id)).status).toBe(404);
    expect((await t.call('PUT', `/accounts/${a.id}/contacts/${c1.id}`, { body: { role: '' } })).status).toBe(400);

    const contacts = await eventually(async () => {
      const res = await t.call('GET', `/accounts/${a.id}/contacts?limit=1`, { role: 'marketer' });
      return res.json.nextCursor ? res.json : undefined;
    });
    const rest = await t.call('GET', `/accounts/${a.id}/contacts?limit=1&cursor=${contacts.nextCursor}`);
    expect([...contacts.items, ...rest.json.items].map((c: { customerId: string; role: string }) => [c.customerId, c.role]).sort()).toEqual(
      [
        [c1.id, 'decision maker'],
        [c2.id, 'user'],
      ].sort(),
    );
    const mine = await t.call('GET', `/customers/${c1.id}/accounts`, { role: 'marketer' });
    expect(mine.status).toBe(200);
    expect(mine.json.items.map((x: { account: { id: string }; role: string }) => [x.account.id, x.role]).sort()).toEqual(
      [
        [a.id, 'decision maker'],
        [b.id, 'champion'],
      ].sort(),
    );
    expect((await t.call('GET', '/customers/no-such-customer/accounts')).status).toBe(404);

    expect((await t.call('DELETE', `/accounts/${b.id}/contacts/${c1.id}`)).status).toBe(204);
    expect((await t.call('DELETE', `/accounts/${b.id}/contacts/${c1.id}`)).status).toBe(404);
    expect((await t.call('GET', `/customers/${c1.id}/accounts`)).json.items.map((x: { account: { id: string } }) => x.account.id)).toEqual([a.id]);
  });

  it("an account's erasure removes its contact links, never the customers", async () => {
    const a = await account({ name: 'Going Away' });
    const keep = await account({ name: 'Staying' });
    const c = await customer('survivor@example.com');
    expect((await link(a.id, c.id)).status).toBe(200);
    expect((await link(keep.id, c.id)).status).toBe(200);
    await eventually(async () => ((await t.call('GET', `/accounts/${a.id}/contacts`)).json.items.length === 1 ? true : undefined));
    expect((await t.call('DELETE', `/accounts/${a.id}`, { role: 'admin', headers: { 'if-match': '"1"' } })).status).toBe(204);
    expect((await t.call('GET', `/customers/${c.id}`)).status).toBe(200);
    expect((await t.call('GET', `/customers/${c.id}/accounts`)).json.items.map((x: { account: { id: string } }) => x.account.id)).toEqual([keep.id]);
    expect((await t.call('GET', `/accounts/${a.id}/contacts`)).status).toBe(404);
    // A contact cannot be added to the deleted account.
    expect((await link(a.id, c.id)).status).toBe(404);
  });

  it("a contact's erasure removes them from every account; an erased customer cannot be linked (409)", async () => {
    const a = await account({ name: 'Erasure Interplay' });
    const gone = await customer('erased-contact@example.com');
    const stays = await customer('remaining-contact@example.com');
    expect((await link(a.id, gone.id)).status).toBe(200);
    expect((await link(a.id, stays.id)).status).toBe(200);
    await eventually(async () => ((await t.call('GET', `/accounts/${a.id}/contacts`)).json.items.length === 2 ? true : undefined));
    const profile = await t.call('GET', `/customers/${gone.id}`);
    expect((await t.call('DELETE', `/customers/${gone.id}`, { role: 'admin', headers: { 'if-match': profile.headers.get('etag')! } })).status).toBe(204);
    const left = await eventually(async () => {
      const items = (await t.call('GET', `/accounts/${a.id}/contacts`)).json.items as { customerId: string }[];
      return items.length === 1 ? items : undefined;
    });
    expect(left.map((c) => c.customerId)).toEqual([stays.id]);
    expect((await t.call('GET', `/customers/${gone.id}/accounts`)).status).toBe(404);
    const again = await link(a.id, gone.id);
    expect(again.status).toBe(409);
    expect(again.json.type).toBe('urn:ecrm:problem:erased');
    expect((await t.call('GET', `/accounts/${a.id}`)).status).toBe(200);
  });
});

describe('account timeline', () => {
  it("merges its contacts' timelines newest first across pages; marketers see no cases", async () => {
    const a = await account({ name: 'Timeline Corp' });
    const c1 = await customer('timeline-1@example.com');
    const c2 = await customer('timeline-2@example.com');
    const outsider = await customer('timeline-outsider@example.com');
    const base = Date.now() - 3_600_000;
    const at = (minutes: number) => new Date(base + minutes * 60_000).toISOString();
    const plan: [string, number][] = [
      [c1.id, 1],
      [c2.id, 2],
      [c2.id, 3],
      [c1.id, 4],
      [c1.id, 5],
      [c2.id, 6],
      [outsider.id, 7],
    ];
    for (const [id, minute] of plan) {
      expect((await t.call('POST', `/customers/${id}/interactions`, { body: { channel: 'web', type: `visit-${minute}`, occurredAt: at(minute) } })).status).toBe(201);
    }
    const opened = await t.call('POST', '/cases', { body: { customerId: c2.id, subject: 'timeline case', channel: 'web' } });
    expect(opened.status).toBe(201);
    for (const id of [c1.id, c2.id]) expect((await link(a.id, id)).status).toBe(200);

    const readAll = async (role: Role, limit: number) =>
      eventually(async () => {
        const entries: { type: string; kind: string; customerId: string }[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const res: { status: number; json: { items: typeof entries; nextCursor: string | null } } = await t.call('GET', `/accounts/${a.id}/timeline?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, { role });
          expect(res.status).toBe(200);
          entries.push(...res.json.items);
          cursor = res.json.nextCursor;
          pages++;
        } while (cursor && pages < 20);
        return entries.length >= 6 + (role === 'marketer' ? 0 : 1) && entries.some((e) => e.kind === 'case') === (role !== 'marketer') ? entries : undefined;
      });
    const agentView = await readAll('agent', 2);
    expect(agentView[0]!.kind).toBe('case');
    expect(agentView.filter((e) => e.kind === 'interaction').map((e) => e.type)).toEqual(['visit-6', 'visit-5', 'visit-4', 'visit-3', 'visit-2', 'visit-1']);
    expect(agentView.every((e) => e.customerId !== outsider.id)).toBe(true);
    const marketerView = await readAll('marketer', 4);
    expect(marketerView.map((e) => e.type)).toEqual(['visit-6', 'visit-5', 'visit-4', 'visit-3', 'visit-2', 'visit-1']);
  });
});
