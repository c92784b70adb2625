import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '../../functions/docs/openapi.ts';
import { ROUTES, type RouteDef } from '../../infra/topology.ts';
import { eventually, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';
import { openApiResponseValidator } from '../support/openapi-responses.ts';

// Every answer the local API gives is what GET /openapi.json declares for its status. `t.call`
// checks each answer against the document (test/support/openapi-responses.ts), so every e2e test
// is a contract test; this file drives the answers the other flows do not reach.

let t: TestRuntime;
let customerId: string;
let caseId: string;
let campaignId: string;
let segmentId: string;
let snapshotId: string;
let articleId: string;
let leadId: string;
let accountId: string;
let opportunityId: string;
let activityId: string;
let analyticsJobId: string;
const contract = openApiResponseValidator();
const routes = ROUTES as readonly RouteDef[];

/** Someone the route lets in: admin where it may, else a customer signed in as `customerId`. */
const asAllowed = async (route: RouteDef) =>
  route.access === 'public'
    ? { role: null }
    : route.access.includes('admin')
      ? { role: 'admin' as const }
      : { role: null, headers: { authorization: `Bearer ${await t.token('customer', customerId)}` } };

/** A product the product routes are driven with (created in beforeAll). */
const PRODUCT_SKU = 'CONTRACT-1';

const pathOf = (route: RouteDef) =>
  route.path
    .replace('{id}', route.path.startsWith('/cases') || route.path.startsWith('/me/cases') ? caseId : route.path.startsWith('/segments') ? segmentId : route.path.startsWith('/campaigns') ? campaignId : route.path.startsWith('/help') || route.path.startsWith('/kb') ? articleId : route.path.startsWith('/leads') ? leadId : route.path.startsWith('/accounts') ? accountId : route.path.startsWith('/opportunities') ? opportunityId : route.path.startsWith('/activities') ? activityId : route.path.startsWith('/analytics/jobs') ? analyticsJobId : customerId)
    .replace('{customerId}', customerId)
    .replace('{snapshotId}', snapshotId)
    .replace('{sku}', PRODUCT_SKU)
    .replace('{name}', 'general')
    .replace('{email}', 'nobody%40example.com');

interface StoredEmail {
  destination: { to: string[] };
  body: { text?: string };
}
/** The newest link to `path` mailed to `address` (opt-in mail goes out after the request, from its event). */
async function linkSentTo(address: string, path: string): Promise<string> {
  const pattern = new RegExp(`https?://[^\\s"<>]+(${path.replace('/', '\\/')}\\?token=[^\\s"<>]+)`);
  return eventually(async () => {
    const { emails } = (await (await fetch(`${t.runtime.sesUrl}/store`)).json()) as { emails: StoredEmail[] };
    const match = emails
      .filter((e) => e.destination.to.includes(address))
      .map((e) => pattern.exec(e.body.text ?? ''))
      .findLast(Boolean);
    return match?.[1];
  });
}

beforeAll(async () => {
  t = await startTestRuntime();
  customerId = (await t.call('POST', '/customers', { body: { email: 'contract@example.com' } })).json.id;
  caseId = (await t.call('POST', '/cases', { body: { customerId, subject: 'contract', channel: 'web' } })).json.id;
  segmentId = (await t.call('POST', '/segments', { role: 'admin', body: { name: 'contract', rule: { field: 'tags', op: 'exists' } } })).json.id;
  snapshotId = (await t.call('POST', `/segments/${segmentId}/snapshots`, { role: 'admin' })).json.id;
  // A campaign's routes answer 404 for an unknown id, so they are driven with a real one.
  await t.call('PUT', '/topics', { role: 'admin', body: [{ id: 'contract', name: 'Contract', purpose: 'marketing' }] });
  const campaign = { name: 'Contract', topic: 'contract', template: { subject: 'Hi', text: 'Hello' }, audience: { segmentId } };
  campaignId = (await t.call('POST', '/campaigns', { role: 'marketer', body: campaign })).json.id;
  leadId = (await t.call('POST', '/leads', { role: 'admin', body: { email: 'contract-lead@example.com', source: 'contract' } })).json.id;
  accountId = (await t.call('POST', '/accounts', { body: { name: 'Contract account' } })).json.id;
  opportunityId = (await t.call('POST', '/opportunities', { body: { accountId, name: 'Contract deal', amount: 1, currency: 'EUR', closeDate: '2027-01-31' } })).json.id;
  activityId = (await t.call('POST', '/activities', { body: { type: 'call', subject: 'Contract call', ownerId: 'contract-owner' } })).json.id;
  articleId = (await t.call('POST', '/kb/articles', { role: 'admin', body: { title: 'Contract article', body: 'contract', locale: 'en-GB', status: 'published' } })).json.id;
  analyticsJobId = (await t.call('POST', '/analytics/models/clv/fit', { role: 'admin', body: { periodUnit: 'day' } })).json.jobId;
  await t.call('PUT', `/products/${PRODUCT_SKU}`, { role: 'admin', body: { name: 'Contract product', category: 'contract', price: 1, currency: 'EUR', active: true } });
});
afterAll(async () => {
  await t?.runtime.stop();
});

describe('answers as the OpenAPI document declares them', () => {
  it('checks answers for real: an undeclared status, media type, body or header is reported', () => {
    const headers = (h: Record<string, string>) => new Headers(h);
    expect(contract.problems('GET', '/customers/x', { status: 418, headers: headers({}), text: '' })).toEqual([
      expect.stringContaining('status not declared'),
    ]);
    expect(contract.problems('GET', '/customers/x', { status: 404, headers: headers({ 'content-type': 'text/plain' }), text: 'no' })).toEqual([
      expect.stringContaining('content-type text/plain not declared'),
    ]);
    const typeless = JSON.stringify({ title: 'Not found', status: 404, detail: 'x' });
    expect(contract.problems('GET', '/customers/x', { status: 404, headers: headers({ 'content-type': 'application/problem+json' }), text: typeless })).toEqual([
      expect.stringContaining("must have required property 'type'"),
    ]);
    const customer = { id: 'a', email: 'a@example.com' };
    expect(contract.problems('POST', '/customers', { status: 201, headers: headers({ 'content-type': 'application/json' }), text: JSON.stringify(customer) })).toEqual(
      expect.arrayContaining([expect.stringContaining('required header ETag missing'), expect.stringContaining('required header Location missing')]),
    );
  });

  it('x-correlation-id: every response refers to the one declared header, and real answers carry a value it accepts', async () => {
    const document = openApiDocument() as { paths: Record<string, Record<string, { responses: Record<string, { headers?: Record<string, unknown> }> }>>; components: { headers: Record<string, { schema: { pattern: string } }> } };
    const declared = document.components.headers.CorrelationId!;
    let responseCount = 0;
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        for (const [status, response] of Object.entries(operation.responses)) {
          expect(response.headers?.['x-correlation-id'], `${method} ${path} ${status}`).toEqual({ $ref: '#/components/headers/CorrelationId' });
          responseCount++;
        }
      }
    }
    expect(responseCount).toBeGreaterThan(routes.length);
    const pattern = new RegExp(declared.schema.pattern);

    // The caller's own id, a traceparent's trace-id, and one the runtime makes up: each on a
    // success, a problem from the function and an answer of the gateway's own.
    const traceId = '4bf92f3577b34da6a89a2b3d4e1a0f36';
    const ways: [Record<string, string>, string | undefined][] = [
      [{ 'x-correlation-id': 'contract-check-1' }, 'contract-check-1'],
      [{ traceparent: `00-${traceId}-00f067aa0ba902b7-01` }, traceId],
      [{}, undefined],
    ];
    for (const [headers, expected] of ways) {
      const answers = [
        await t.call('GET', `/customers/${customerId}`, { headers }),
        await t.call('GET', '/customers/no-such-id', { headers }),
        await t.call('GET', '/customers', { role: null, headers }),
      ];
      expect(answers.map((a) => a.status)).toEqual([200, 404, 401]);
      for (const answer of answers) {
        const value = answer.headers.get('x-correlation-id');
        expect(value, `${answer.status} ${JSON.stringify(headers)}`).toMatch(pattern);
        if (expected) expect(value).toBe(expected);
      }
    }

    // An id the pattern refuses is reported as not what the document declares (t.call would throw).
    const bad = { 'content-type': 'application/problem+json', 'x-correlation-id': 'x'.repeat(129) };
    const notFound = JSON.stringify({ type: 'urn:ecrm:problem:not-found', title: 'Not found', status: 404, detail: 'No such customer' });
    expect(contract.problems('GET', '/customers/x', { status: 404, headers: new Headers(bad), text: notFound })).toEqual([
      expect.stringContaining('header x-correlation-id='),
    ]);
  });

  it('POST /interactions: an item refused on its own carries a problem (with its cause) the schema accepts', async () => {
    const res = await t.call('POST', '/interactions', {
      body: {
        items: [
          { customerId, channel: 'web', type: 'page_view' },
          { customerId: 'nobody-has-this-id', channel: 'web', type: 'page_view' },
          { customerId, channel: 'fax', type: 'page_view' },
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(res.json.items.map((i: { status: string; error?: { type: string } }) => i.error?.type ?? i.status)).toEqual([
      'created',
      'urn:ecrm:problem:not-found',
      'urn:ecrm:problem:validation',
    ]);
  });

  it('401 from the gateway (no token, bad token) at every route that needs one', async () => {
    for (const route of routes.filter((r) => r.access !== 'public')) {
      for (const authorization of [undefined, 'Bearer not.a.jwt']) {
        const res = await t.call(route.method, pathOf(route), { role: null, ...(authorization ? { headers: { authorization } } : {}) });
        expect(res.status, `${route.method} ${route.path}`).toBe(401);
        expect(res.json).toEqual({ message: 'Unauthorized' });
      }
    }
  });

  it('413 at every route with a body: from the function beyond 256 KB, from the gateway beyond 10 MB', async () => {
    const withBody = routes.filter((r) => r.body);
    expect(withBody.length).toBe(48); // the 16 JSON routes before issue 10, its 7 (segments, campaigns), issue 11's 7, the three form posts behind email links, and issue 12's leads (create, capture, patch, convert) and accounts (create, patch, put contact) and PUT /products/{sku}, and opportunities and activities (create, patch each), and PUT /pipeline/stages, and issue 13's POST /analytics/models/clv/fit, and issue 15's POST /segments/preview (the segment editor's live count)
    const big = JSON.stringify({ padding: 'x'.repeat(300 * 1024) });
    for (const route of withBody) {
      const as = await asAllowed(route);
      const res = await t.call(route.method, pathOf(route), { ...as, rawBody: big, headers: { ...as.headers, 'content-type': 'application/json' } });
      expect(res.status, `${route.method} ${route.path}`).toBe(413);
      expect(res.json.type).toBe('urn:ecrm:problem:body-too-large');
    }
    const huge = await t.call('POST', '/customers', { rawBody: 'x'.repeat(10 * 1024 * 1024 + 1), headers: { 'content-type': 'application/json' } });
    expect(huge.status).toBe(413);
    expect(huge.json).toEqual({ message: 'Request Entity Too Large' });
  });

  it('415 and 400 at every route with a body, 404 at every route with an id, 403 for a role that may not', async () => {
    // The form posts behind email links read what a mail client sends, whatever its media type.
    for (const route of routes.filter((r) => r.body && !r.formBody)) {
      const at = `${route.method} ${route.path}`;
      const as = await asAllowed(route);
      expect((await t.call(route.method, pathOf(route), { ...as, rawBody: '{}', headers: { ...as.headers, 'content-type': 'text/plain' } })).status, at).toBe(415);
      expect((await t.call(route.method, pathOf(route), { ...as, rawBody: '{', headers: { ...as.headers, 'content-type': 'application/json' } })).status, at).toBe(400);
    }
    for (const route of routes.filter((r) => r.path.includes('{id}'))) {
      // If-Match too, for the routes that require one (erasure: 428 without).
      // As someone the route lets in (a customer for /me/cases/{id}), so the 404 is the id's.
      const as = await asAllowed(route);
      const headers = { ...('headers' in as ? as.headers : {}), 'if-match': '"1"' };
      const res = await t.call(route.method, route.path.replace('{id}', 'no-such-id'), { ...as, headers, ...(route.body ? { body: {} } : {}) });
      expect([400, 404], `${route.method} ${route.path}`).toContain(res.status);
    }
    for (const route of routes.filter((r) => r.access !== 'public' && !r.access.includes('customer'))) {
      expect((await t.call(route.method, pathOf(route), { role: 'customer' })).status, `${route.method} ${route.path}`).toBe(403);
    }
  });

  it('201 answers carry Location and ETag', async () => {
    const created = await t.call('POST', '/customers', { body: { email: 'located@example.com' } });
    expect(created.headers.get('location')).toBe(`/customers/${created.json.id}`);
    const opened = await t.call('POST', '/cases', { body: { customerId, subject: 'located', channel: 'email' } });
    expect(opened.headers.get('location')).toBe(`/cases/${opened.json.id}`);
    expect(opened.headers.get('etag')).toBe('"1"');
  });

  it('409 when assigning a closed case', async () => {
    const { json: opened } = await t.call('POST', '/cases', { body: { customerId, subject: 'to close', channel: 'web' } });
    await t.call('PATCH', `/cases/${opened.id}`, { body: { status: 'solved' } });
    await t.call('PATCH', `/cases/${opened.id}`, { body: { status: 'closed' } });
    const res = await t.call('POST', `/cases/${opened.id}/assign`, { body: { assigneeId: 'agent-1' } });
    expect(res.status).toBe(409);
    expect(res.json.type).toBe('urn:ecrm:problem:case-closed');
  });

  it('GET /reports/sla answers the documented report', async () => {
    const res = await t.call('GET', '/reports/sla?from=2026-01-01&to=2026-12-31', { role: 'manager' });
    expect(res.status).toBe(200);
    expect(Object.keys(res.json).sort()).toEqual(
      ['breachedOpen', 'breaches', 'days', 'firstResponseMetPercent', 'medianFirstResponseMinutes', 'medianResolutionMinutes', 'opened', 'resolutionMetPercent', 'solved'].sort(),
    );
    expect(res.json.days).toHaveLength(365);
  });

  it('the pages behind email links (token parameter, HTML, the unsubscribe form) answer as declared', async () => {
    expect((await t.call('PUT', '/topics', { role: 'admin', body: [{ id: 'news', name: 'News', purpose: 'marketing' }] })).status).toBe(200);
    const { json: person } = await t.call('POST', '/customers', { body: { email: 'pages@example.com' } });
    expect((await t.call('POST', `/customers/${person.id}/consents`, { body: { topic: 'news', action: 'request' } })).status).toBe(202);
    const confirm = await linkSentTo('pages@example.com', '/optin/confirm');
    const confirmed = await t.call('GET', confirm, { role: null });
    expect(confirmed.status).toBe(200);
    expect(confirmed.headers.get('content-type')).toContain('text/html');
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const token = new URLSearchParams(confirm.split('?')[1]).get('token')!;
    const subscribed = await t.call('POST', '/optin/confirm', { role: null, rawBody: new URLSearchParams({ token }).toString(), headers: form });
    expect(subscribed.status).toBe(200);
    expect(subscribed.headers.get('content-type')).toContain('text/html');
    expect((await t.call('GET', '/optin/confirm?token=forged', { role: null })).status).toBe(400);
    expect((await t.call('POST', '/optin/confirm', { role: null, rawBody: 'token=forged', headers: form })).status).toBe(400);
    expect((await t.call('GET', '/optin/confirm', { role: null })).status).toBe(400);

    expect((await t.call('POST', `/customers/${person.id}/emails`, { role: 'marketer', body: { topic: 'news', subject: 'Hi', text: 'Hello' } })).json.outcome).toBe('sent');
    const unsubscribe = await linkSentTo('pages@example.com', '/unsubscribe');
    expect((await t.call('GET', unsubscribe, { role: null })).status).toBe(200);
    expect((await t.call('POST', unsubscribe, { role: null, rawBody: 'List-Unsubscribe=One-Click', headers: form })).status).toBe(200);
    expect((await t.call('POST', unsubscribe, { role: null, rawBody: 'scope=all', headers: form })).status).toBe(200);
    expect((await t.call('GET', '/unsubscribe?token=forged', { role: null })).status).toBe(400);
    expect((await t.call('POST', '/unsubscribe?token=forged', { role: null, rawBody: 'List-Unsubscribe=One-Click', headers: form })).status).toBe(400);
  });

  it('limit is an integer from 1 to 100: beyond it, a 400 naming the field', async () => {
    for (const route of routes.filter((r) => r.method === 'GET' && r.query && r.access !== 'public')) {
      // Reports and forecasts take days, not pages (their query has no limit).
      if (route.path === '/reports/sla' || route.path === '/reports/csat' || route.path === '/reports/pipeline' || route.path === '/reports/cube') continue;
      if (route.path === '/analytics/forecasts/cases') continue;
      // Usage (issue 14) takes days too.
      if (route.path === '/usage') continue;
      // Self-service listings (/me/...) let in only a customer: the limit rule is the same.
      const as = await asAllowed(route);
      // Recommendations are a short list, not a page: their limit is 1 to 20.
      const max = route.path.endsWith('/recommendations') ? 20 : 100;
      for (const limit of ['0', String(max + 1), '2.5', 'ten']) {
        const res = await t.call('GET', `${pathOf(route)}?limit=${limit}`, as);
        expect(res.status, `${route.path}?limit=${limit} ${res.text}`).toBe(400);
        expect(res.json.errors.map((e: { path: string }) => e.path)).toContain('limit');
      }
      expect((await t.call('GET', `${pathOf(route)}?limit=${max}`, as)).status).toBe(200);
    }
  });

  it('random requests at every route, good and bad, get declared answers', async () => {
    const request = fc.record({
      route: fc.constantFrom(...routes),
      role: fc.constantFrom('admin', 'manager', 'agent', 'marketer', 'customer', null),
      body: fc.option(fc.oneof(fc.jsonValue(), fc.dictionary(fc.constantFrom('email', 'subject', 'channel', 'type', 'topic', 'action', 'status', 'items'), fc.jsonValue())), { nil: undefined }),
    });
    await fc.assert(
      fc.asyncProperty(request, async ({ route, role, body }) => {
        // t.call throws when an answer is not as declared.
        const sendsBody = body !== undefined && route.method !== 'GET' && route.method !== 'DELETE';
        const res = await t.call(route.method, pathOf(route), { role: role as never, ...(sendsBody ? { body } : {}) });
        expect(res.status).toBeLessThan(500);
      }),
      { numRuns: 150 },
    );
  }, 240_000);
});
