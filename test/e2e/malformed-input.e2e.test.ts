import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateCustomerInput, CustomerPatch } from '../../domain/customers/customer.schema.ts';
import { CustomerListQuery } from '../../functions/customers/customer.http.ts';
import { LOCAL_AWS } from '../../infra/local/dynamodb-local.ts';
import { ROUTES, type RouteDef } from '../../infra/topology.ts';
import { putRecipient, putSegment } from '../support/campaign-fixtures.ts';
import { eventually, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

// Property-based: malformed bodies, headers and query strings at every route always get a 4xx
// problem+json, never a 500, and write nothing (no item, no event).

let t: TestRuntime;
let existingId: string;
let caseId: string;
let campaignId: string;
let raw: DynamoDBClient;

async function snapshot() {
  await t.runtime.idle();
  const out = await raw.send(new ScanCommand({ TableName: t.runtime.tableName }));
  const events = await t.call('GET', '/_local/events?limit=500', { role: null });
  return { items: JSON.stringify(out.Items?.map((i) => JSON.stringify(i)).sort()), events: events.json.items.length };
}

beforeAll(async () => {
  t = await startTestRuntime();
  raw = new DynamoDBClient({ endpoint: t.runtime.dynamodbEndpoint, ...LOCAL_AWS });
  existingId = (await t.call('POST', '/customers', { body: { email: 'fuzz-target@example.com', tags: ['x'] } })).json.id;
  caseId = (await t.call('POST', '/cases', { body: { customerId: existingId, subject: 'fuzz', channel: 'web' } })).json.id;
});
afterAll(async () => {
  raw?.destroy();
  await t?.runtime.stop();
});

/** Admin where the route lets admins in; else (the /me routes) the customer `existingId` signed in, so the input is what is refused. */
async function allowed(route: RouteDef) {
  if (route.access === 'public' || route.access.includes('admin')) return { role: 'admin' as const };
  return { role: null, headers: { authorization: `Bearer ${await t.token('customer', existingId)}` } };
}
const caseRoute = (route: RouteDef) => route.path.startsWith('/cases') || route.path.startsWith('/me/cases');

function expectProblem(res: { status: number; headers: Headers; json: any; text: string }, context: string) {
  expect(res.status, `${context} -> ${res.status} ${res.text.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
  expect(res.status, context).toBeLessThan(500);
  expect(res.headers.get('content-type'), context).toBe('application/problem+json');
  expect(res.json.status, context).toBe(res.status);
  expect(typeof res.json.title).toBe('string');
  expect(typeof res.json.detail).toBe('string');
}

const jsonText = fc.oneof(
  fc.string(),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.dictionary(fc.string(), fc.jsonValue()).map((v) => JSON.stringify(v)),
  fc.record({ email: fc.oneof(fc.string(), fc.integer(), fc.constant(null)), tags: fc.anything() }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
);
const invalidCreateBody = jsonText.filter((text) => {
  try {
    return !CreateCustomerInput.safeParse(JSON.parse(text)).success;
  } catch {
    return true;
  }
});
const invalidPatchBody = jsonText.filter((text) => {
  try {
    const value = JSON.parse(text);
    return value === null || typeof value !== 'object' || Array.isArray(value) || !CustomerPatch.safeParse(value).success;
  } catch {
    return true;
  }
});
const contentType = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'application/merge-patch+json');
const headerValue = fc.string({ unit: fc.constantFrom(...'abcXYZ019"/*-_ W'.split('')), maxLength: 40 });
// '.' and '..' are dot-segments that URL normalisation removes before any request is sent.
const anyId = fc.string({ minLength: 1, maxLength: 300 }).filter((s) => s !== '.' && s !== '..').map(encodeURIComponent);

// Property runs make many requests; on a loaded 2-core machine they need more than the default.
const PROPERTY_TIMEOUT = 240_000;

describe('malformed input at every route', () => {
  it('POST /customers: invalid bodies, media types and idempotency keys', async () => {
    const before = await snapshot();
    await fc.assert(
      fc.asyncProperty(invalidCreateBody, contentType, fc.option(fc.string({ maxLength: 300 })), async (body, type, key) => {
        const headers: Record<string, string> = { 'content-type': type };
        if (key !== null) headers['idempotency-key'] = encodeURIComponent(key) || '\u00e9';
        expectProblem(await t.call('POST', '/customers', { rawBody: body, headers }), `POST ${body}`);
      }),
      { numRuns: 120 },
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('text/plain', 'application/xml', '', 'multipart/form-data'), async (type) => {
        const headers: Record<string, string> = type ? { 'content-type': type } : {};
        expectProblem(await t.call('POST', '/customers', { rawBody: '{"email":"a@b.co"}', headers }), `type ${type}`);
      }),
      { numRuns: 10 },
    );
    expect(await snapshot()).toEqual(before);
  }, PROPERTY_TIMEOUT);

  it('PATCH /customers/{id}: invalid bodies, If-Match values and ids', async () => {
    const before = await snapshot();
    await fc.assert(
      fc.asyncProperty(invalidPatchBody, fc.option(headerValue), async (body, ifMatch) => {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (ifMatch !== null) headers['if-match'] = ifMatch;
        expectProblem(await t.call('PATCH', `/customers/${existingId}`, { rawBody: body, headers }), `PATCH ${body} if-match ${ifMatch}`);
      }),
      { numRuns: 120 },
    );
    await fc.assert(
      fc.asyncProperty(anyId, async (id) => {
        expectProblem(await t.call('PATCH', `/customers/${id}`, { body: { firstName: 'X' } }), `PATCH id ${id}`);
      }),
      { numRuns: 40 },
    );
    expect(await snapshot()).toEqual(before);
  }, PROPERTY_TIMEOUT);

  it('GET and DELETE /customers/{id}: unknown or odd ids, odd If-Match', async () => {
    const before = await snapshot();
    await fc.assert(
      fc.asyncProperty(anyId, fc.option(headerValue), async (id, ifMatch) => {
        expectProblem(await t.call('GET', `/customers/${id}`), `GET ${id}`);
        const headers: Record<string, string> = ifMatch !== null ? { 'if-match': ifMatch } : {};
        expectProblem(await t.call('DELETE', `/customers/${id}`, { headers }), `DELETE ${id}`);
      }),
      { numRuns: 60 },
    );
    await fc.assert(
      fc.asyncProperty(headerValue.filter((v) => !/^\s*(\*|"1"|W\/"1")?\s*$/.test(v)), async (ifMatch) => {
        expectProblem(await t.call('DELETE', `/customers/${existingId}`, { headers: { 'if-match': ifMatch } }), `DELETE if-match ${ifMatch}`);
      }),
      { numRuns: 40 },
    );
    expect(await snapshot()).toEqual(before);
  }, PROPERTY_TIMEOUT);

  it('GET /customers: malformed query strings', async () => {
    const query = fc
      .dictionary(fc.constantFrom('limit', 'cursor', 'email', 'tag', 'x', 'LIMIT'), fc.string({ maxLength: 80 }), { minKeys: 1 })
      .filter((q) => !CustomerListQuery.safeParse(q).success);
    await fc.assert(
      fc.asyncProperty(query, async (q) => {
        const qs = new URLSearchParams(q).toString();
        expectProblem(await t.call('GET', `/customers?${qs}`), `GET ?${qs}`);
      }),
      { numRuns: 120 },
    );
  }, PROPERTY_TIMEOUT);

  it('every route with a body or query string: invalid input is a 4xx problem and writes nothing', async () => {
    const before = await snapshot();
    const routes = (ROUTES as readonly RouteDef[]).filter((r) => r.access !== 'public' && (r.body || r.query));
    const pathFor = (route: RouteDef) =>
      route.path.replace('{id}', caseRoute(route) ? caseId : existingId).replace('{name}', 'fuzzq');
    for (const route of routes) {
      if (route.body) {
        const schema = route.body;
        const invalid = jsonText.filter((text) => {
          try {
            return !schema.safeParse(JSON.parse(text)).success;
          } catch {
            return true;
          }
        });
        await fc.assert(
          fc.asyncProperty(invalid, async (body) => {
            const as = await allowed(route);
            const res = await t.call(route.method, pathFor(route), { ...as, rawBody: body, headers: { ...('headers' in as ? as.headers : {}), 'content-type': 'application/json' } });
            expectProblem(res, `${route.method} ${route.path} ${body.slice(0, 80)}`);
          }),
          { numRuns: 25 },
        );
      }
      if (route.query) {
        const schema = route.query;
        const query = fc.dictionary(fc.constantFrom('limit', 'cursor', 'status', 'queue', 'from', 'to', 'channel', 'type', 'email', 'identity', 'x'), fc.string({ maxLength: 40 }), { minKeys: 1 }).filter((q) => !schema.safeParse(q).success);
        await fc.assert(
          fc.asyncProperty(query, async (q) => {
            const qs = new URLSearchParams(q).toString();
            expectProblem(await t.call(route.method, `${pathFor(route)}?${qs}`, await allowed(route)), `${route.method} ${route.path}?${qs}`);
          }),
          { numRuns: 25 },
        );
      }
    }
    expect(await snapshot()).toEqual(before);
  }, PROPERTY_TIMEOUT);
});

// Values DynamoDB (or the SDK's marshaller) cannot store as sent: each is a 400 naming the field,
// never a 500, and nothing is written. Bodies are raw text: JSON.stringify cannot spell
// 9007199254740993, and JSON.parse already rounds it.
const UNSTORABLE_NUMBERS = ['9007199254740993', '-9007199254740993', '1e21', '1e126', '-1e126', '1e-131', '5e-324'];
const deepArrays = (levels: number) => `${'['.repeat(levels)}1${']'.repeat(levels)}`;
const deepMaps = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
const JSON_HEADERS = { 'content-type': 'application/json' };

function expectFieldProblem(res: { status: number; headers: Headers; json: any; text: string }, path: string, context: string) {
  expectProblem(res, context);
  expect(res.status, context).toBe(400);
  expect(res.json.errors?.map((e: { path: string }) => e.path), context).toContain(path);
}

describe('values DynamoDB cannot store', () => {
  it('numbers beyond +/-(2^53-1) or DynamoDB range in attributes and data: 400 naming the field, nothing written', async () => {
    const before = await snapshot();
    for (const n of UNSTORABLE_NUMBERS) {
      const create = await t.call('POST', '/customers', { rawBody: `{"email":"big-${n}@example.com","attributes":{"score":${n}}}`, headers: JSON_HEADERS });
      expectFieldProblem(create, 'attributes.score', `POST /customers ${n}`);
      const patch = await t.call('PATCH', `/customers/${existingId}`, { rawBody: `{"attributes":{"score":${n}}}`, headers: JSON_HEADERS });
      expectFieldProblem(patch, 'attributes.score', `PATCH ${n}`);
      const one = await t.call('POST', `/customers/${existingId}/interactions`, {
        rawBody: `{"channel":"web","type":"order","data":{"cart":{"items":[{"qty":${n}}]}}}`,
        headers: JSON_HEADERS,
      });
      expectFieldProblem(one, 'data.cart.items.0.qty', `POST interactions ${n}`);
      const batch = await t.call('POST', '/interactions', {
        rawBody: `{"items":[{"customerId":"${existingId}","channel":"web","type":"order","data":{"total":${n}}}]}`,
        headers: JSON_HEADERS,
      });
      expect(batch.status, batch.text).toBe(200);
      expect(batch.json.items[0]).toMatchObject({ index: 0, status: 'error', error: { status: 400, errors: [{ path: 'data.total' }] } });
    }
    expect(await snapshot()).toEqual(before);
  }, PROPERTY_TIMEOUT);

  it('data nested 31 levels or deeper (up to 100,000) and empty keys: 400 naming the path, nothing written', async () => {
    const before = await snapshot();
    const bodies: [string, string][] = [
      [`{"channel":"web","type":"t","data":${deepMaps(31)}}`, `data${'.a'.repeat(30)}`],
      [`{"channel":"web","type":"t","data":{"list":${deepArrays(30)}}}`, `data.list${'.0'.repeat(29)}`],
      [`{"channel":"web","type":"t","data":{"list":${deepArrays(100_000)}}}`, `data.list${'.0'.repeat(29)}`],
      ['{"channel":"web","type":"t","data":{"":1}}', 'data'],
      ['{"channel":"web","type":"t","data":{"a":[{"b":{"":1}}]}}', 'data.a.0.b'],
    ];
    for (const [body, path] of bodies) {
      const one = await t.call('POST', `/customers/${existingId}/interactions`, { rawBody: body, headers: JSON_HEADERS });
      expectFieldProblem(one, path, `${body.slice(0, 60)}`);
      const batch = await t.call('POST', '/interactions', { rawBody: `{"items":[${body.replace('{', `{"anonymousId":"deep",`)}]}`, headers: JSON_HEADERS });
      expect(batch.status, batch.text.slice(0, 300)).toBe(200);
      expect(batch.json.items[0]).toMatchObject({ index: 0, status: 'error', error: { status: 400, errors: [{ path }] } });
    }
    expect(await snapshot()).toEqual(before);
  }, PROPERTY_TIMEOUT);

  it('every route with a body: a 100,000-level value in any of its fields is never a 5xx', async () => {
    const routes = (ROUTES as readonly RouteDef[]).filter((r) => r.access !== 'public' && r.body);
    const deep = deepArrays(100_000);
    for (const route of routes) {
      const shape = (route.body as unknown as { _zod: { def: { shape?: Record<string, unknown> } } })._zod.def.shape ?? {};
      for (const field of [...Object.keys(shape), 'unknownField']) {
        const path = route.path.replace('{id}', caseRoute(route) ? caseId : existingId).replace('{name}', 'fuzzq');
        const as = await allowed(route);
        const res = await t.call(route.method, path, { ...as, rawBody: `{"${field}":{"a":${deep}}}`, headers: { ...('headers' in as ? as.headers : {}), ...JSON_HEADERS } });
        expect(res.status, `${route.method} ${route.path} ${field} -> ${res.text.slice(0, 200)}`).toBeLessThan(500);
      }
    }
  }, PROPERTY_TIMEOUT);

  it('POST /interactions: an unstorable item is its own error; its neighbours are created', async () => {
    const res = await t.call('POST', '/interactions', {
      rawBody: `{"items":[{"anonymousId":"n-1","channel":"web","type":"t","data":{"n":1e21}},{"anonymousId":"n-2","channel":"web","type":"t","data":${deepMaps(40)}},{"anonymousId":"n-3","channel":"web","type":"t","data":{"n":1e-7,"deep":${deepMaps(29)}}}]}`,
      headers: JSON_HEADERS,
    });
    expect(res.status, res.text.slice(0, 300)).toBe(200);
    expect(res.json.items.map((i: { status: string }) => i.status)).toEqual(['error', 'error', 'created']);
  });
});

// Cursors are the caller's input too. Crafted from real ones (each listing's own), with a key field
// emptied, of another type, outside the listing's partition or sort key prefix: a 400 naming
// `cursor`, never a 5xx. The test knows the cursor's inside (base64url JSON {q, k}) on purpose.
describe('crafted cursors on every listing', () => {
  const decode = (cursor: string) => JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { q: string; k: Record<string, string> };
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

  /** Each listing, and the key attributes whose value its cursors may hold freely (no fixed value or prefix). */
  function listings() {
    const cases = (query: string, free: string[]) => ({ path: `/cases?${query}`, free: ['pk', ...free] });
    return [
      { path: '/customers?', free: ['pk', 'gsi1sk'] },
      { path: '/customers?tag=crafted&', free: ['sk'] },
      { path: `/customers/${existingId}/timeline?`, free: [] },
      { path: `/customers/${existingId}/timeline?channel=web&`, free: [] },
      cases('', ['gsi1sk']),
      cases('status=open&', ['gsi4sk']),
      cases('queue=general&', ['gsi2sk']),
      cases('queue=general&status=open&', []),
      cases('assigneeId=crafted%40agents.test&', ['gsi3sk']),
      cases('assigneeId=crafted%40agents.test&status=open&', []),
      cases('priority=normal&', ['gsi6sk']),
      cases('priority=normal&status=open&', []),
      cases(`customerId=${existingId}&`, ['gsi5sk']),
      { path: `/cases/${caseId}/comments?`, free: [] },
      { path: '/suppressions?', free: ['pk', 'gsi1sk'] },
      { path: '/campaigns?', free: ['gsi1sk'] },
      { path: `/campaigns/${campaignId}/recipients?`, free: ['gsi8sk'] },
      { path: `/campaigns/${campaignId}/recipients?outcome=sent&`, free: [] },
      { path: '/segments?', free: ['pk', 'gsi1sk'] },
      { path: `/segments/${crafted.segmentId}/snapshots/${crafted.snapshotId}/members?`, free: ['at'] },
      { path: '/kb/articles?', free: ['gsi1sk'] },
      { path: '/kb/articles?status=published&', free: ['gsi4sk'] },
      { path: '/kb/articles?locale=en-GB&category=crafted&', free: ['gsi1sk'] },
      { path: `/kb/articles/${crafted.articleId}/versions?`, free: [] },
      { path: '/leads?', free: ['gsi1sk'] },
      { path: '/leads?status=new&', free: ['gsi4sk'] },
      { path: '/leads?owner=crafted&', free: ['gsi3sk'] },
      { path: '/leads?owner=crafted&status=new&', free: ['gsi2sk'] },
      { path: `/leads?partner=${crafted.partnerId}&`, free: ['gsi6sk'] },
      { path: `/leads?partner=${crafted.partnerId}&status=new&`, free: ['gsi6sk'] },
      { path: '/accounts?', free: ['gsi1sk'] },
      { path: '/accounts?q=crafted&', free: [] },
      { path: '/accounts?tag=crafted&', free: ['gsi1sk'] },
      { path: `/accounts/${crafted.accountId}/contacts?`, free: ['gsi8sk'] },
      { path: `/accounts/${crafted.accountId}/timeline?`, free: [] },
      { path: `/customers/${existingId}/accounts?`, free: [] },
      { path: '/opportunities?', free: ['gsi1sk'] },
      { path: '/opportunities?stage=proposal&', free: ['gsi4sk'] },
      { path: '/opportunities?owner=crafted&', free: ['gsi3sk'] },
      { path: `/opportunities?account=${crafted.accountId}&`, free: ['gsi5sk'] },
      { path: '/opportunities?closingBefore=2099-01-01&', free: [] },
      { path: `/opportunities?partner=${crafted.partnerId}&`, free: ['gsi6sk'] },
      { path: `/opportunities?partner=${crafted.partnerId}&stage=proposal&`, free: ['gsi6sk'] },
      { path: '/activities?', free: ['gsi1sk'] },
      { path: '/activities?open=true&', free: ['gsi4sk'] },
      { path: '/activities?owner=crafted&', free: ['gsi3sk'] },
      { path: '/activities?owner=crafted&open=true&', free: [] },
      { path: `/activities?account=${crafted.accountId}&`, free: ['gsi5sk'] },
      { path: `/activities?opportunity=${crafted.opportunityId}&`, free: ['gsi6sk'] },
      { path: `/activities?customer=${existingId}&`, free: ['gsi8sk'] },
      // Self-service, as the customer signed in (after the staff ones: /me/cases and /me/timeline
      // are the staff listings of the same customer, whose cursors they accept).
      { path: '/me/cases?', free: ['pk', 'gsi5sk'] },
      { path: '/me/cases?status=open&', free: ['pk', 'gsi5sk'] },
      { path: `/me/cases/${caseId}/comments?`, free: [] },
      { path: '/me/timeline?', free: [] },
      { path: '/erasure-requests?', free: ['gsi7sk'] },
      { path: '/help/articles?q=crafted&', free: [] },
      { path: '/help/articles?', free: [] },
      { path: `/kb/articles/${crafted.articleId}/feedback?`, free: [] },
      { path: '/products?', free: ['gsi1sk'] },
      { path: '/products?active=true&', free: [] },
      { path: '/products?category=crafted&', free: ['gsi2sk'] },
      { path: '/products?category=crafted&active=false&', free: [] },
    ];
  }

  /** Staff listings as admin; /me listings as the customer `existingId` signed in. */
  const asReader = async (path: string) =>
    path.startsWith('/me') ? { role: null, headers: { authorization: `Bearer ${await t.token('customer', existingId)}` } } : { role: 'admin' as const };

  const crafted = { segmentId: '', snapshotId: '', articleId: '', accountId: '', opportunityId: '', partnerId: '' };
  async function seed() {
    for (const n of [1, 2]) {
      const segment = await t.call('POST', '/segments', { role: 'admin', body: { name: `crafted ${n}`, rule: { field: 'email', op: 'exists' } } });
      expect(segment.status).toBe(201);
      crafted.segmentId = segment.json.id;
    }
    for (const n of [1, 2]) {
      expect((await t.call('POST', '/customers', { body: { email: `crafted-${n}@example.com`, tags: ['crafted'] } })).status).toBe(201);
      expect((await t.call('POST', `/customers/${existingId}/interactions`, { body: { channel: 'web', type: 'crafted' } })).status).toBe(201);
      const c = await t.call('POST', '/cases', { body: { customerId: existingId, subject: `crafted ${n}`, channel: 'web' } });
      expect((await t.call('POST', `/cases/${c.json.id}/assign`, { body: { assigneeId: 'crafted@agents.test' } })).status).toBe(200);
      expect((await t.call('POST', `/cases/${caseId}/comments`, { body: { body: `crafted ${n}`, visibility: 'internal' } })).status).toBe(201);
      expect((await t.call('POST', `/cases/${caseId}/comments`, { body: { body: `crafted public ${n}`, visibility: 'public' } })).status).toBe(201);
    }
    // The snapshot once the crafted customers exist, complete before its members are listed (two
    // members at least, whatever the scan's timing).
    crafted.snapshotId = (await t.call('POST', `/segments/${crafted.segmentId}/snapshots`, { role: 'admin' })).json.id;
    await eventually(async () => {
      const snapshot = await t.call('GET', `/segments/${crafted.segmentId}/snapshots/${crafted.snapshotId}`, { role: 'admin' });
      return snapshot.json.status === 'ready' && snapshot.json.count >= 2 ? true : undefined;
    });
    // Suppressions come from SES feedback: a double opt-in mail to the simulator's bounce address.
    expect((await t.call('PUT', '/topics', { role: 'admin', body: [{ id: 'crafted', name: 'Crafted', purpose: 'marketing' }] })).status).toBe(200);
    for (const n of [1, 2]) {
      const c = await t.call('POST', '/customers', { body: { email: `bounce+crafted${n}@simulator.amazonses.com` } });
      await t.call('POST', `/customers/${c.json.id}/consents`, { body: { topic: 'crafted', action: 'request' } });
    }
    await t.runtime.idle();
    await eventually(async () => ((await t.call('GET', '/suppressions', { role: 'admin' })).json.items.length >= 2 ? true : undefined));
    // Campaigns, and recipients as the sender records them (put straight into the table).
    await putSegment(t, 'crafted');
    for (const n of [1, 2]) {
      const campaign = { name: `crafted ${n}`, topic: 'crafted', template: { subject: 'Hi', text: 'Hello' }, audience: { segmentId: 'crafted' } };
      campaignId = (await t.call('POST', '/campaigns', { role: 'marketer', body: campaign })).json.id;
    }
    for (const customer of ['crafted-a', 'crafted-b', 'crafted-c']) await putRecipient(t, campaignId, customer, 'sent');
    // Knowledge-base articles in a category, each published, the last one twice (two revisions), and readers' feedback.
    expect((await t.call('PUT', '/kb/categories', { role: 'admin', body: { categories: [{ id: 'crafted', name: 'Crafted' }] } })).status).toBe(200);
    const articleIds: string[] = [];
    for (const n of [1, 2, 3]) {
      const article = await t.call('POST', '/kb/articles', { role: 'admin', body: { title: `Crafted ${n}`, body: 'x', locale: 'en-GB', category: 'crafted' } });
      expect(article.status).toBe(201);
      crafted.articleId = article.json.id;
      articleIds.push(article.json.id);
    }
    const headers = { 'content-type': 'application/merge-patch+json' };
    for (const id of articleIds) expect((await t.call('PATCH', `/kb/articles/${id}`, { role: 'admin', body: { body: 'published once', status: 'published' }, headers })).status).toBe(200);
    expect((await t.call('PATCH', `/kb/articles/${crafted.articleId}`, { role: 'admin', body: { body: 'published twice', status: 'published' }, headers })).status).toBe(200);
    // The search function checks for a new index generation every ~2 s: wait until all are searchable.
    await eventually(async () => ((await t.call('GET', '/help/articles?q=crafted', { role: null })).json.items.length === 3 ? true : undefined));
    for (const helpful of [true, false]) expect((await t.call('POST', `/help/articles/${crafted.articleId}/feedback`, { role: null, body: { helpful } })).status).toBe(202);
    // Leads of an owner and a partner account (two, so that every lead listing has a second page).
    const partner = await t.call('POST', '/accounts', { role: 'admin', body: { name: 'Crafted partner', type: 'partner' } });
    expect(partner.status).toBe(201);
    crafted.partnerId = partner.json.id;
    for (const n of [1, 2]) {
      const body = { email: `lead-crafted-${n}@example.com`, source: 'crafted', ownerId: 'crafted', partnerAccountId: crafted.partnerId };
      expect((await t.call('POST', '/leads', { role: 'admin', body })).status).toBe(201);
    }
    // Accounts with a tag, each with `existingId` (whose timeline has interactions) and another customer as contacts.
    for (const n of [1, 2]) {
      const account = await t.call('POST', '/accounts', { role: 'admin', body: { name: `Crafted ${n}`, tags: ['crafted'] } });
      expect(account.status).toBe(201);
      crafted.accountId = account.json.id;
      const other = await t.call('POST', '/customers', { body: { email: `contact-crafted-${n}@example.com` } });
      for (const id of [existingId, other.json.id]) expect((await t.call('PUT', `/accounts/${account.json.id}/contacts/${id}`, { role: 'admin', body: { role: 'buyer' } })).status).toBe(200);
    }
    // Opportunities of one owner, stage and account (two, so that every opportunity listing has a second page).
    for (const n of [1, 2]) {
      const opportunity = { accountId: crafted.accountId, name: `Crafted ${n}`, amount: 10, currency: 'EUR', stage: 'proposal', closeDate: '2027-01-31', ownerId: 'crafted', partnerAccountId: crafted.partnerId };
      const created = await t.call('POST', '/opportunities', { role: 'admin', body: opportunity });
      expect(created.status).toBe(201);
      crafted.opportunityId = created.json.id;
    }
    // Open activities of an owner, an account, an opportunity and a customer (two, so that every activity listing has a second page).
    const links = { accountId: crafted.accountId, opportunityId: crafted.opportunityId, customerId: existingId };
    for (const n of [1, 2]) expect((await t.call('POST', '/activities', { role: 'admin', body: { type: 'call', subject: `Crafted ${n}`, ownerId: 'crafted', ...links } })).status).toBe(201);
    // Products of a category, active and not (two of each, so every product listing has a next page).
    for (const [n, active] of [[1, true], [2, true], [3, false], [4, false]] as const) {
      const product = { name: `Crafted ${n}`, category: 'crafted', price: 1, currency: 'EUR', active };
      expect((await t.call('PUT', `/products/CRAFTED-${n}`, { role: 'admin', body: product })).status).toBe(201);
    }
    // Pending erasure requests: each person asks for their own (DELETE /me with their token).
    for (const n of [1, 2]) {
      const c = await t.call('POST', '/customers', { body: { email: `erasure-crafted-${n}@example.com` } });
      const asked = await t.call('DELETE', '/me', { role: null, headers: { authorization: `Bearer ${await t.token('customer', c.json.id)}` } });
      expect(asked.status).toBe(202);
    }
  }

  function expectNotOurCursor(res: { status: number; headers: Headers; json: any; text: string }, context: string) {
    expectProblem(res, context);
    expect(res.status, context).toBe(400);
    expect(res.json.detail, context).toBe('Not a cursor this listing issued.');
    expect(res.json.errors, context).toEqual([{ path: 'cursor', message: 'is not a cursor this listing issued' }]);
  }

  it('a key field emptied, of another type, outside the listing\'s partition or prefix, or from another listing: 400 "not a cursor this listing issued"', async () => {
    await seed();
    const issued = new Map<string, string>();
    for (const { path } of listings()) {
      const res = await t.call('GET', `${path}limit=1`, await asReader(path));
      expect(res.status, `${path} ${res.text}`).toBe(200);
      expect(typeof res.json.nextCursor, `${path} has a second page`).toBe('string');
      expect((await t.call('GET', `${path}limit=1&cursor=${res.json.nextCursor}`, await asReader(path))).status, path).toBe(200);
      issued.set(path, res.json.nextCursor);
    }
    const paths = [...issued.keys()];
    for (const { path, free } of listings()) {
      const { q, k } = decode(issued.get(path)!);
      const crafted: [string, unknown][] = [['another listing\'s cursor', decode(issued.get(paths[(paths.indexOf(path) + 1) % paths.length]!)!)]];
      for (const name of Object.keys(k)) {
        crafted.push([`${name} emptied`, { q, k: { ...k, [name]: '' } }]);
        crafted.push([`${name} a number`, { q, k: { ...k, [name]: 5 } }]);
        crafted.push([`${name} a DynamoDB attribute value`, { q, k: { ...k, [name]: { S: k[name] } } }]);
        crafted.push([`${name} missing`, { q, k: Object.fromEntries(Object.entries(k).filter(([n]) => n !== name)) }]);
        if (!free.includes(name)) crafted.push([`${name} outside the listing's partition or prefix`, { q, k: { ...k, [name]: `OTHER#${k[name]}` } }]);
      }
      for (const [what, value] of crafted) {
        expectNotOurCursor(await t.call('GET', `${path}limit=1&cursor=${encode(value)}`, await asReader(path)), `${path} ${what}`);
      }
    }
  }, PROPERTY_TIMEOUT);

  it('property: any change to a key value of a real cursor is a 200 or a 400 naming cursor, never a 5xx', async () => {
    const issued: [string, string][] = [];
    for (const { path } of listings()) {
      const res = await t.call('GET', `${path}limit=1`, await asReader(path));
      if (res.json.nextCursor) issued.push([path, res.json.nextCursor]);
    }
    expect(issued.length).toBe(listings().length);
    const keyValue = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 600 }), fc.jsonValue({ maxDepth: 2 }));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...issued), fc.nat(), keyValue, fc.boolean(), async ([path, cursor], which, value, prefixed) => {
        const { q, k } = decode(cursor);
        const names = Object.keys(k);
        const name = names[which % names.length]!;
        const replaced = prefixed && typeof value === 'string' ? `${k[name]}${value}` : value;
        const res = await t.call('GET', `${path}limit=1&cursor=${encode({ q, k: { ...k, [name]: replaced } })}`, await asReader(path));
        const context = `${path} ${name}=${JSON.stringify(replaced).slice(0, 80)} -> ${res.status} ${res.text.slice(0, 200)}`;
        if (res.status !== 200) expectNotOurCursor(res, context);
      }),
      { numRuns: 150 },
    );
  }, PROPERTY_TIMEOUT);
});
