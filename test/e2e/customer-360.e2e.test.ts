import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_AWS } from '../../infra/local/dynamodb-local.ts';
import { eventually, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

let t: TestRuntime;
beforeAll(async () => {
  t = await startTestRuntime();
});
afterAll(async () => {
  await t?.runtime.stop();
});

let n = 0;
const unique = (label = 'c') => `${label}-${++n}-${Math.random().toString(36).slice(2, 8)}@example.com`;
const newCustomer = async (body: Record<string, unknown> = {}) => (await t.call('POST', '/customers', { body: { email: unique(), ...body } })).json;
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

describe('interactions and the timeline', () => {
  it('records interactions, lists them newest first with filters, and keeps stats current', async () => {
    const c = await newCustomer();
    const post = (body: Record<string, unknown>) => t.call('POST', `/customers/${c.id}/interactions`, { body });
    const first = await post({ channel: 'web', type: 'page_view', occurredAt: minutesAgo(30), data: { url: '/pricing' } });
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({ customerId: c.id, channel: 'web', type: 'page_view', data: { url: '/pricing' }, direction: null });
    await post({ channel: 'store', type: 'purchase', occurredAt: minutesAgo(20), value: { amount: 19.99, currency: 'EUR' } });
    await post({ channel: 'mobile', type: 'purchase', occurredAt: minutesAgo(10), value: { amount: 0.01, currency: 'EUR' } });
    await post({ channel: 'phone', type: 'refund', direction: 'inbound', occurredAt: minutesAgo(5), value: { amount: 5, currency: 'EUR' } });
    await post({ channel: 'email', type: 'email_open', occurredAt: minutesAgo(40) }); // arrives late, is older

    const timeline = await t.call('GET', `/customers/${c.id}/timeline`);
    expect(timeline.status).toBe(200);
    expect(timeline.json.items.map((i: { type: string }) => i.type)).toEqual(['refund', 'purchase', 'purchase', 'page_view', 'email_open']);
    const purchases = await t.call('GET', `/customers/${c.id}/timeline?type=purchase`);
    expect(purchases.json.items).toHaveLength(2);
    const store = await t.call('GET', `/customers/${c.id}/timeline?channel=store`);
    expect(store.json.items.map((i: { channel: string }) => i.channel)).toEqual(['store']);

    const { json: read } = await t.call('GET', `/customers/${c.id}`);
    expect(read.stats).toEqual({
      interactionCount: 5,
      lastInteractionAt: timeline.json.items[0].occurredAt,
      lastChannel: 'phone',
      purchaseCount: 2,
      totalSpent: { EUR: 15 },
      byChannel: { web: 1, store: 1, mobile: 1, phone: 1, email: 1 },
    });
    expect(read.version).toBe(1); // stats are server-maintained and do not move the ETag
  });

  it('pages the timeline with a cursor', async () => {
    const c = await newCustomer();
    for (let i = 0; i < 5; i++) await t.call('POST', `/customers/${c.id}/interactions`, { body: { channel: 'chat', type: 'chat', occurredAt: minutesAgo(10 - i) } });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await t.call('GET', `/customers/${c.id}/timeline?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      seen.push(...res.json.items.map((i: { occurredAt: string }) => i.occurredAt));
      cursor = res.json.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(5);
    expect(seen).toEqual([...seen].sort().reverse());
  });

  it('refuses bad interactions with a 4xx and records nothing', async () => {
    const c = await newCustomer();
    const bad = [
      { channel: 'fax', type: 'x' },
      { channel: 'web', type: 'x'.repeat(65) },
      { channel: 'web', type: 'x', occurredAt: new Date(Date.now() + 10 * 60_000).toISOString() },
      { channel: 'web', type: 'x', summary: 's'.repeat(1001) },
      { channel: 'web', type: 'x', data: { blob: 'b'.repeat(8200) } },
      { channel: 'web', type: 'purchase', value: { amount: 1, currency: 'EURO' } },
      { channel: 'web', type: 'purchase', value: { amount: 1, currency: 'ABC' } },
      { channel: 'web', type: 'x', direction: 'sideways' },
    ];
    for (const body of bad) {
      const res = await t.call('POST', `/customers/${c.id}/interactions`, { body });
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
    }
    expect((await t.call('POST', '/customers/nobody/interactions', { body: { channel: 'web', type: 'x' } })).status).toBe(404);
    expect((await t.call('GET', `/customers/${c.id}/timeline`)).json.items).toEqual([]);
    expect((await t.call('GET', `/customers/${c.id}`)).json.stats.interactionCount).toBe(0);
  });

  it('ingests a batch item by item: one bad item does not drop the others', async () => {
    const c = await newCustomer();
    const anonymousId = `anon-${Date.now()}`;
    const res = await t.call('POST', '/interactions', {
      body: {
        items: [
          { customerId: c.id, channel: 'web', type: 'page_view' },
          { email: c.email.toUpperCase(), channel: 'email', type: 'email_open' },
          { anonymousId, channel: 'web', type: 'cart_add' },
          { customerId: c.id, channel: 'nowhere', type: 'x' },
          { customerId: 'no-such-customer', channel: 'web', type: 'x' },
          { channel: 'web', type: 'x' },
          { customerId: c.id, email: c.email, channel: 'web', type: 'x' },
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(res.json.items.map((r: { status: string }) => r.status)).toEqual(['created', 'created', 'created', 'error', 'error', 'error', 'error']);
    expect(res.json.items[0].customerId).toBe(c.id);
    expect(res.json.items[1].customerId).toBe(c.id);
    expect(res.json.items[2].customerId).toBeNull();
    expect(res.json.items[3].error).toMatchObject({ status: 400, errors: [expect.objectContaining({ path: 'channel' })] });
    expect(res.json.items[4].error.status).toBe(404);
    const timeline = await t.call('GET', `/customers/${c.id}/timeline`);
    expect(timeline.json.items).toHaveLength(2);
    expect((await t.call('GET', `/customers/${c.id}`)).json.stats.interactionCount).toBe(2);

    for (const items of [[], Array.from({ length: 26 }, () => ({ customerId: c.id, channel: 'web', type: 'x' }))]) {
      expect((await t.call('POST', '/interactions', { body: { items } })).status).toBe(400);
    }
  });

  it('counts every interaction exactly once when batches race for the same customer', async () => {
    const c = await newCustomer();
    const batch = () => t.call('POST', '/interactions', { body: { items: Array.from({ length: 5 }, () => ({ customerId: c.id, channel: 'web', type: 'page_view' })) } });
    const results = await Promise.all(Array.from({ length: 6 }, batch));
    expect(results.every((r) => r.status === 200 && r.json.items.every((i: { status: string }) => i.status === 'created'))).toBe(true);
    expect((await t.call('GET', `/customers/${c.id}`)).json.stats.interactionCount).toBe(30);
    expect((await t.call('GET', `/customers/${c.id}/timeline?limit=100`)).json.items).toHaveLength(30);
  });
});

describe('the timeline follows the reader\'s rights', () => {
  it('shows a marketer no case and no case comment (they may not read cases), pages what is left, and shows staff who work cases everything', async () => {
    const c = await newCustomer();
    await t.call('PUT', '/topics', { role: 'admin', body: [{ id: 'rights-news', name: 'News', description: 'n', purpose: 'marketing' }] });
    await t.call('POST', `/customers/${c.id}/interactions`, { body: { channel: 'web', type: 'page_view', occurredAt: minutesAgo(30) } });
    const opened = await t.call('POST', '/cases', { body: { customerId: c.id, subject: 'Secret case subject zz-rights', channel: 'email' } });
    expect(opened.status).toBe(201);
    await t.call('POST', `/cases/${opened.json.id}/comments`, { body: { body: 'public reply zz-rights', visibility: 'public' } });
    await t.call('POST', `/customers/${c.id}/interactions`, { body: { channel: 'chat', type: 'chat' } });
    expect((await t.call('POST', `/customers/${c.id}/consents`, { body: { topic: 'rights-news', action: 'request', source: 'api' } })).status).toBe(202);
    await t.call('POST', `/customers/${c.id}/interactions`, { body: { channel: 'store', type: 'visit' } });
    // The opt-in mail (and its timeline entry) goes out after the request, from its event.
    await eventually(async () => ((await t.call('GET', `/customers/${c.id}/timeline?limit=100`)).json.items.some((i: { kind: string }) => i.kind === 'email') ? true : undefined));

    const readAll = async (role: 'admin' | 'manager' | 'agent' | 'marketer', limit: number) => {
      const kinds: string[] = [];
      let cursor: string | null = null;
      for (let pages = 0; pages < 50; pages++) {
        const res = await t.call('GET', `/customers/${c.id}/timeline?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { role });
        expect(res.status).toBe(200);
        expect(res.json.items.length).toBeLessThanOrEqual(limit);
        kinds.push(...res.json.items.map((i: { kind: string }) => i.kind));
        if (role === 'marketer') expect(res.text).not.toContain('zz-rights');
        cursor = res.json.nextCursor;
        if (!cursor) return kinds;
      }
      throw new Error('the cursor never ended');
    };
    const everything = ['case', 'case_comment', 'consent', 'email', 'interaction'];
    for (const role of ['admin', 'manager', 'agent'] as const) {
      const kinds = await readAll(role, 100);
      expect(new Set(kinds), role).toEqual(new Set(everything));
    }
    const marketer = await readAll('marketer', 100);
    expect(new Set(marketer)).toEqual(new Set(['consent', 'email', 'interaction']));
    expect(marketer.filter((k) => k === 'interaction')).toHaveLength(3);
    // Page by page: a filtered page may be shorter, but following nextCursor reaches every entry once.
    for (const limit of [1, 2, 3]) expect(await readAll('marketer', limit)).toEqual(marketer);
    expect(await readAll('agent', 2)).toEqual(await readAll('agent', 100));
  });
});

describe('identities', () => {
  it('links identities, refuses one owned by another customer, and finds the owner', async () => {
    const a = await newCustomer();
    const b = await newCustomer();
    const externalId = `erp-${Date.now()}`;
    const linked = await t.call('POST', `/customers/${a.id}/identities`, { body: { type: 'externalId', value: externalId } });
    expect(linked.status).toBe(201);
    expect(linked.json).toMatchObject({ type: 'externalId', value: externalId, customerId: a.id });
    expect((await t.call('POST', `/customers/${a.id}/identities`, { body: { type: 'externalId', value: externalId } })).status).toBe(200);
    const taken = await t.call('POST', `/customers/${b.id}/identities`, { body: { type: 'externalId', value: externalId } });
    expect(taken.status).toBe(409);
    expect(taken.json.detail).toContain(`externalId:${externalId}`);
    expect(taken.json.detail).toContain(a.id);
    const found = await t.call('GET', `/customers?identity=externalId:${externalId}`);
    expect(found.json.items.map((c: { id: string }) => c.id)).toEqual([a.id]);
    const byEmail = await t.call('GET', `/customers?identity=email:${encodeURIComponent(a.email)}`);
    expect(byEmail.json.items.map((c: { id: string }) => c.id)).toEqual([a.id]);
    const list = await t.call('GET', `/customers/${a.id}/identities`);
    expect(list.json.items.map((i: { type: string }) => i.type).sort()).toEqual(['email', 'externalId']);
    expect((await t.call('POST', `/customers/${a.id}/identities`, { body: { type: 'phone', value: '12345' } })).status).toBe(400);
    expect((await t.call('GET', '/customers?identity=nonsense')).status).toBe(400);
  });

  it('pulls the interactions of a linked anonymousId into the timeline and stats', async () => {
    const c = await newCustomer();
    const anonymousId = `device-${Date.now()}`;
    const res = await t.call('POST', '/interactions', {
      body: { items: [1, 2, 3].map((i) => ({ anonymousId, channel: 'mobile', type: i === 3 ? 'purchase' : 'screen_view', occurredAt: minutesAgo(10 - i), ...(i === 3 ? { value: { amount: 10, currency: 'USD' } } : {}) })) },
    });
    expect(res.json.items.every((r: { status: string }) => r.status === 'created')).toBe(true);
    expect((await t.call('POST', `/customers/${c.id}/identities`, { body: { type: 'anonymousId', value: anonymousId } })).status).toBe(201);
    const timeline = await t.call('GET', `/customers/${c.id}/timeline`);
    expect(timeline.json.items.map((i: { type: string }) => i.type)).toEqual(['purchase', 'screen_view', 'screen_view']);
    expect(timeline.json.items.every((i: { customerId: string }) => i.customerId === c.id)).toBe(true);
    const { json } = await t.call('GET', `/customers/${c.id}`);
    expect(json.stats).toMatchObject({ interactionCount: 3, purchaseCount: 1, totalSpent: { USD: 10 }, lastChannel: 'mobile' });
    // later events from the same device now land on the customer directly
    const later = await t.call('POST', '/interactions', { body: { items: [{ anonymousId, channel: 'mobile', type: 'screen_view' }] } });
    expect(later.json.items[0].customerId).toBe(c.id);
  });
});

describe('merge', () => {
  it('merges the source into the target and leaves a pointer behind', async () => {
    const target = await newCustomer({ firstName: 'Tess', tags: ['vip'], attributes: { plan: 'gold' } });
    const source = await newCustomer({ firstName: 'Other', lastName: 'Smith', phone: '+15550001111', tags: ['newsletter'], attributes: { plan: 'free', shoe: 42 } });
    await t.call('POST', `/customers/${target.id}/interactions`, { body: { channel: 'web', type: 'page_view', occurredAt: minutesAgo(3) } });
    await t.call('POST', `/customers/${source.id}/interactions`, { body: { channel: 'store', type: 'purchase', occurredAt: minutesAgo(2), value: { amount: 7, currency: 'GBP' } } });
    await t.call('POST', `/customers/${source.id}/identities`, { body: { type: 'externalId', value: `shop-${source.id}` } });

    const merged = await t.call('POST', `/customers/${target.id}/merge`, { body: { sourceId: source.id } });
    expect(merged.status).toBe(200);
    expect(merged.json).toMatchObject({
      id: target.id,
      email: target.email,
      firstName: 'Tess',
      lastName: 'Smith',
      phone: '+15550001111',
      attributes: { plan: 'gold', shoe: 42 },
      tags: ['vip', 'newsletter'],
      stats: { interactionCount: 2, purchaseCount: 1, totalSpent: { GBP: 7 }, lastChannel: 'store' },
    });

    const gone = await t.call('GET', `/customers/${source.id}`);
    expect(gone.status).toBe(200);
    expect(gone.json).toMatchObject({ id: source.id, mergedInto: target.id });
    expect(gone.json.email).toBeUndefined();
    expect((await t.call('PATCH', `/customers/${source.id}`, { body: { firstName: 'x' } })).status).toBe(409);
    expect((await t.call('POST', `/customers/${source.id}/interactions`, { body: { channel: 'web', type: 'x' } })).status).toBe(409);

    const timeline = await t.call('GET', `/customers/${target.id}/timeline`);
    expect(timeline.json.items.map((i: { type: string }) => i.type)).toEqual(['purchase', 'page_view']);
    expect((await t.call('GET', `/customers?email=${encodeURIComponent(source.email)}`)).json.items[0].id).toBe(target.id);
    expect((await t.call('GET', `/customers?identity=externalId:shop-${source.id}`)).json.items[0].id).toBe(target.id);
    expect((await t.call('GET', '/customers?tag=newsletter&limit=100')).json.items.map((c: { id: string }) => c.id)).toContain(target.id);
    expect((await t.call('GET', '/customers?tag=newsletter&limit=100')).json.items.map((c: { id: string }) => c.id)).not.toContain(source.id);

    // a click stream that still knows the old id lands on the target
    const batch = await t.call('POST', '/interactions', { body: { items: [{ customerId: source.id, channel: 'web', type: 'page_view' }] } });
    expect(batch.json.items[0]).toMatchObject({ status: 'created', customerId: target.id });

    // retrying the merge changes nothing
    const before = (await t.call('GET', `/customers/${target.id}`)).json;
    const retry = await t.call('POST', `/customers/${target.id}/merge`, { body: { sourceId: source.id } });
    expect(retry.status).toBe(200);
    expect((await t.call('GET', `/customers/${target.id}`)).json).toEqual(before);

    const mergedEvents = async () =>
      (await t.call('GET', '/_local/events?limit=500', { role: null })).json.items.filter(
        (e: { detailType: string; detail: { data: { sourceId?: string } } }) => e.detailType === 'CustomersMerged' && e.detail.data.sourceId === source.id,
      );
    await eventually(async () => ((await mergedEvents()).length > 0 ? true : undefined));
    await t.runtime.idle();
    expect(await mergedEvents()).toHaveLength(1);
  });

  it('refuses to merge a customer into itself, an unknown source, or into a merged customer', async () => {
    const a = await newCustomer();
    const b = await newCustomer();
    expect((await t.call('POST', `/customers/${a.id}/merge`, { body: { sourceId: a.id } })).status).toBe(400);
    expect((await t.call('POST', `/customers/${a.id}/merge`, { body: { sourceId: 'unknown' } })).status).toBe(422);
    expect((await t.call('POST', `/customers/${a.id}/merge`, { body: { sourceId: b.id } })).status).toBe(200);
    expect((await t.call('POST', `/customers/${b.id}/merge`, { body: { sourceId: a.id } })).status).toBe(409);
    const c = await newCustomer();
    expect((await t.call('POST', `/customers/${c.id}/merge`, { body: { sourceId: b.id } })).status).toBe(409);
  });
});

describe('export and erasure', () => {
  it('exports everything held about the person', async () => {
    const c = await newCustomer({ firstName: 'Exporta' });
    await t.call('POST', `/customers/${c.id}/interactions`, { body: { channel: 'chat', type: 'chat', summary: 'asked about shipping' } });
    await t.call('POST', `/customers/${c.id}/identities`, { body: { type: 'phone', value: '+4930123456' } });
    const res = await t.call('GET', `/customers/${c.id}/export`, { role: 'manager' });
    expect(res.status).toBe(200);
    expect(res.json.customer).toMatchObject({ id: c.id, firstName: 'Exporta' });
    expect(res.json.identities.map((i: { type: string }) => i.type).sort()).toEqual(['email', 'phone']);
    expect(res.json.interactions.map((i: { summary: string }) => i.summary)).toEqual(['asked about shipping']);
    expect((await t.call('GET', `/customers/${c.id}/export`, { role: 'agent' })).status).toBe(403);
  });

  it('erases while writers of every context keep writing: no personal data lands after the cleanup, no writer gets a 5xx', async () => {
    const stamp = Date.now().toString(36);
    const marks = { email: `zq-busy-${stamp}@example.com`, firstName: `Varnokel${stamp}`, ip: '192.0.2.201', userAgent: `UA-busy-${stamp}`, summary: `busy call ${stamp}`, comment: `busy reply ${stamp}` };
    await t.call('PUT', '/topics', { role: 'admin', body: [{ id: 'busy-news', name: 'News', description: 'n', purpose: 'marketing' }] });
    const { json: c } = await t.call('POST', '/customers', { body: { email: marks.email, firstName: marks.firstName } });
    const opened = await t.call('POST', '/cases', { body: { customerId: c.id, subject: 'busy case', channel: 'email' } });
    const origin = { ip: marks.ip, userAgent: marks.userAgent };
    let running = true;
    const statuses: number[] = [];
    const loop = async (write: () => Promise<{ status: number }>) => {
      while (running) statuses.push((await write()).status);
    };
    const writers = [
      loop(() => t.call('POST', `/customers/${c.id}/consents`, { role: 'admin', body: { topic: 'busy-news', action: 'grant', legalBasis: 'consent', proof: 'form', ...origin } })),
      loop(() => t.call('POST', `/customers/${c.id}/consents`, { body: { topic: 'busy-news', action: 'withdraw', ...origin } })),
      loop(() => t.call('POST', `/customers/${c.id}/consents`, { body: { topic: 'busy-news', action: 'request', ...origin } })),
      loop(() => t.call('POST', `/customers/${c.id}/emails`, { role: 'marketer', body: { topic: 'busy-news', subject: 'Hi {{firstName}}', text: 'Dear {{firstName}}' } })),
      loop(() => t.call('POST', `/customers/${c.id}/interactions`, { body: { channel: 'phone', type: 'call', summary: marks.summary } })),
      loop(() => t.call('POST', `/cases/${opened.json.id}/comments`, { body: { body: marks.comment, visibility: 'public' } })),
    ];
    await new Promise((r) => setTimeout(r, 300));
    const erased = await t.call('DELETE', `/customers/${c.id}`, { role: 'admin', headers: { 'if-match': '"1"' } });
    await new Promise((r) => setTimeout(r, 300));
    running = false;
    await Promise.all(writers);
    expect(erased.status).toBe(204);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.length).toBeGreaterThan(12);
    await t.runtime.idle();

    const raw = new DynamoDBClient({ endpoint: t.runtime.dynamodbEndpoint, ...LOCAL_AWS });
    const survivors = async () => {
      const items = ((await raw.send(new ScanCommand({ TableName: t.runtime.tableName }))).Items ?? []).map((i) => JSON.stringify(i));
      return Object.fromEntries(
        Object.entries(marks)
          .map(([name, value]) => [name, items.filter((item) => item.includes(value) && !item.includes('"SUPPRESSION#')).map((item) => item.slice(0, 120))] as const)
          .filter(([, found]) => found.length > 0),
      );
    };
    const left = await eventually(async () => {
      const found = await survivors();
      return Object.keys(found).length === 0 ? found : undefined;
    }, 8_000).catch(survivors);
    raw.destroy();
    expect(left).toEqual({});
  });

  it('erases a customer that absorbed a merge together with everything the merged-away profile left: consent, email records, stored responses, stub', async () => {
    const stamp = Date.now().toString(36);
    const marks = {
      sourceEmail: `zq-src-${stamp}@example.com`,
      sourceFirstName: `Quillonva${stamp}`,
      targetEmail: `zq-tgt-${stamp}@example.com`,
      targetFirstName: `Brannoxi${stamp}`,
      ip: '198.51.100.213',
      userAgent: `UA-merge-${stamp}`,
      caseSubject: `Merged parcel ${stamp}`,
      externalId: `ext-merge-${stamp}`,
    };
    await t.call('PUT', '/topics', { role: 'admin', body: [{ id: 'merge-news', name: 'News', description: 'n', purpose: 'marketing' }] });
    const { json: source } = await t.call('POST', '/customers', {
      body: { email: marks.sourceEmail, firstName: marks.sourceFirstName },
      headers: { 'idempotency-key': `merge-src-${stamp}` },
    });
    const { json: target } = await t.call('POST', '/customers', { body: { email: marks.targetEmail, firstName: marks.targetFirstName }, headers: { 'idempotency-key': `merge-tgt-${stamp}` } });
    const consent = await t.call('POST', `/customers/${source.id}/consents`, { body: { topic: 'merge-news', action: 'request', ip: marks.ip, userAgent: marks.userAgent } });
    expect(consent.status).toBe(202);
    const mail = await t.call('POST', `/customers/${source.id}/emails`, { role: 'marketer', body: { topic: 'merge-news', subject: 'Hello {{firstName}}', text: 'Hi {{firstName}}' } });
    expect(mail.json).toEqual({ outcome: 'blocked', reason: 'no_consent' }); // recorded, with the first name in its subject
    const opened = await t.call('POST', '/cases', { body: { customerId: source.id, subject: marks.caseSubject, channel: 'email' }, headers: { 'idempotency-key': `merge-case-${stamp}` } });
    expect(opened.status).toBe(201);
    await t.call('POST', `/customers/${source.id}/identities`, { body: { type: 'externalId', value: marks.externalId } });
    await t.call('POST', `/customers/${source.id}/interactions`, { body: { channel: 'web', type: 'page_view', summary: marks.sourceFirstName } });

    const raw = new DynamoDBClient({ endpoint: t.runtime.dynamodbEndpoint, ...LOCAL_AWS });
    const scan = async () => ((await raw.send(new ScanCommand({ TableName: t.runtime.tableName }))).Items ?? []).map((i) => JSON.stringify(i));
    const before = (await scan()).join('\n');
    for (const value of Object.values(marks)) expect(before).toContain(value);

    expect((await t.call('POST', `/customers/${target.id}/merge`, { body: { sourceId: source.id } })).status).toBe(200);
    await t.runtime.idle();
    const read = await t.call('GET', `/customers/${target.id}`);
    expect((await t.call('DELETE', `/customers/${target.id}`, { role: 'admin', headers: { 'if-match': read.headers.get('etag')! } })).status).toBe(204);
    await t.runtime.idle();

    const left = await eventually(async () => {
      const items = await scan();
      const survivors = Object.entries(marks).filter(([, value]) => items.some((item) => item.includes(value)));
      return survivors.length === 0 ? items : undefined;
    }, 15_000).catch(async () => {
      const items = await scan();
      return Object.fromEntries(Object.entries(marks).map(([name, value]) => [name, items.filter((item) => item.includes(value)).map((item) => item.slice(0, 160))]));
    });
    raw.destroy();
    expect(Array.isArray(left) ? {} : left).toEqual({});
    const partitions = (left as string[]).filter((item) => [source.id, target.id].some((id) => item.includes(`"CUSTOMER#${id}"`)));
    expect(partitions.map((item) => JSON.parse(item).sk.S).sort()).toEqual(['ERASURE', 'ERASURE']);
    expect((left as string[]).filter((item) => item.includes(`"CONSENT#${source.id}"`) && item.includes('"EMAIL#'))).toEqual([]);
    expect((await t.call('GET', `/customers/${source.id}`)).status).toBe(404);
    const scrubbed = (await t.call('GET', `/cases/${opened.json.id}`)).json;
    expect(scrubbed).toMatchObject({ subject: '[erased]', number: opened.json.number });
  });

  it('erases the person everywhere: no distinctive value survives anywhere in the table', async () => {
    const marks = {
      email: `zq-erase-${Date.now()}@example.com`,
      firstName: 'Zebulonxq',
      lastName: 'Quaxtrel',
      phone: '+15557654321',
      attribute: 'shoesize-zz47',
      tag: 'tag-zz-erase',
      externalId: `ext-zz-${Date.now()}`,
      anonymousId: `anon-zz-${Date.now()}`,
      summary: 'complained about Zebulonxq parcel',
      data: 'street-zz-9',
      caseSubject: 'Quaxtrel package zz lost',
      caseText: 'left at door zz-77',
      comment: 'sorry Zebulonxq-zz we will refund',
    };
    const { json: c } = await t.call('POST', '/customers', {
      body: { email: marks.email, firstName: marks.firstName, lastName: marks.lastName, phone: marks.phone, attributes: { note: marks.attribute }, tags: [marks.tag] },
      headers: { 'idempotency-key': `erase-${Date.now()}` },
    });
    await t.call('POST', `/customers/${c.id}/identities`, { body: { type: 'externalId', value: marks.externalId } });
    await t.call('POST', '/interactions', { body: { items: [{ anonymousId: marks.anonymousId, channel: 'web', type: 'page_view', data: { address: marks.data } }] } });
    await t.call('POST', `/customers/${c.id}/identities`, { body: { type: 'anonymousId', value: marks.anonymousId } });
    await t.call('POST', `/customers/${c.id}/interactions`, { body: { channel: 'phone', type: 'call', summary: marks.summary, value: { amount: 3, currency: 'EUR' } } });
    const opened = await t.call('POST', '/cases', { body: { customerId: c.id, subject: marks.caseSubject, description: marks.caseText, channel: 'email' } });
    expect(opened.status).toBe(201);
    await t.call('POST', `/cases/${opened.json.id}/comments`, { body: { body: marks.comment, visibility: 'public' } });
    const exported = (await t.call('GET', `/customers/${c.id}/export`, { role: 'admin' })).json;
    expect(JSON.stringify(exported.cases)).toContain(marks.comment);
    expect(JSON.stringify(exported.cases)).toContain(marks.caseSubject);

    const raw = new DynamoDBClient({ endpoint: t.runtime.dynamodbEndpoint, ...LOCAL_AWS });
    const everything = async () => JSON.stringify((await raw.send(new ScanCommand({ TableName: t.runtime.tableName }))).Items);
    const before = await everything();
    for (const value of Object.values(marks)) expect(before).toContain(value); // the scan can see them

    expect((await t.call('DELETE', `/customers/${c.id}`, { role: 'manager', headers: { 'if-match': `"${c.version}"` } })).status).toBe(204);
    // the cases context scrubs its part when CustomerErased reaches it (asynchronously)
    await t.runtime.idle();
    const after = await eventually(async () => {
      const text = await everything();
      return Object.values(marks).some((value) => text.includes(value)) ? undefined : text;
    });
    raw.destroy();
    for (const value of Object.values(marks)) expect(after, value).not.toContain(value);
    const scrubbed = (await t.call('GET', `/cases/${opened.json.id}`)).json;
    expect(scrubbed).toMatchObject({ subject: '[erased]', description: null, number: opened.json.number });

    expect((await t.call('GET', `/customers/${c.id}`)).status).toBe(404);
    expect((await t.call('DELETE', `/customers/${c.id}`, { role: 'manager', headers: { 'if-match': `"${c.version}"` } })).status).toBe(404);
    expect((await t.call('POST', '/customers', { body: { email: marks.email } })).status).toBe(201);
    const erased = await eventually(async () => {
      const events = (await t.call('GET', '/_local/events?limit=500', { role: null })).json.items;
      return events.some((e: { detailType: string; detail: { data: { customerId?: string } } }) => e.detailType === 'CustomerErased' && e.detail.data.customerId === c.id) || undefined;
    });
    expect(erased).toBe(true);
  });
});
