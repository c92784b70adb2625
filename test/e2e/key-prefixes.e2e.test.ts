import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onTableRequest, type TableRequest } from '../../functions/shared/table-requests.ts';
import { contextOfFunction, CONTEXTS } from '../../infra/contexts.ts';
import { KEY_PREFIXES, matchesKeyPattern, SCANS } from '../../infra/key-prefixes.ts';
import { FUNCTIONS, type FunctionName, type Role } from '../../infra/routes.ts';
import { readCdnow } from '../support/cdnow.ts';
import { ingestCdnow } from '../support/cdnow-ingestion.ts';
import { eventually, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

// Issue 14, "each context's role is limited to its own key prefixes": on AWS each function's role
// may name on the table only the partition keys of its context's patterns (infra/key-prefixes.ts,
// IAM's dynamodb:LeadingKeys), may Query only its context's indexes and Scan only where SCANS says.
// DynamoDB Local does not evaluate IAM, so this drives a broad flow through the API (every context,
// its consumers, schedules and stream work) and checks every request each function sent: a key
// outside its context's patterns would be an AccessDenied on AWS.

let t: TestRuntime;
const requests: TableRequest[] = [];
const stopRecording = onTableRequest((request) => requests.push(request));
const unique = () => randomUUID().slice(0, 8);
const mergePatch = { 'content-type': 'application/merge-patch+json' };

interface StoredEmail {
  subject: string;
  destination: { to: string[] };
  body: { text?: string };
}
const mailTo = async (address: string) => ((await (await fetch(`${t.runtime.sesUrl}/store`)).json()) as { emails: StoredEmail[] }).emails.filter((e) => e.destination.to.includes(address));
const linkIn = (mail: StoredEmail, path: string) => {
  const match = new RegExp(`https?://[^\\s"<>]+${path}\\?token=[^\\s"<>]+`).exec(mail.body.text ?? '');
  if (!match) throw new Error(`no ${path} link in: ${mail.body.text}`);
  return new URL(match[0]);
};
const form = (link: URL, fields: Record<string, string>) =>
  t.call('POST', link.pathname, { role: null, rawBody: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });

function ok<T extends { status: number; text: string }>(res: T, status = 200): T {
  expect(res.status, res.text).toBe(status);
  return res;
}
const as = (role: Role, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => t.call(method, path, { role, ...(body !== undefined ? { body } : {}), headers });
async function advance(seconds: number) {
  ok(await t.call('POST', '/_local/clock/advance', { role: null, body: { seconds } }));
  await t.runtime.idle();
}

beforeAll(async () => {
  t = await startTestRuntime({ erasureGraceDays: 1, analyticsCurrency: 'USD' });
});
afterAll(async () => {
  stopRecording();
  await t?.runtime.stop();
});

describe('per-context key prefixes (dynamodb:LeadingKeys)', () => {
  it('runs every context through the API', async () => {
    // Configuration: topics, the SLA policy, an escalating queue, the knowledge tree.
    ok(await as('admin', 'PUT', '/topics', [{ id: 'news', name: 'News', purpose: 'marketing' }]));
    ok(
      await as('admin', 'PUT', '/sla-policy', {
        timezone: 'UTC',
        businessHours: { mon: [['09:00', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '17:00']], thu: [['09:00', '17:00']], fri: [['09:00', '17:00']], sat: [], sun: [] },
        targets: Object.fromEntries(['urgent', 'high', 'normal', 'low'].map((p) => [p, { firstResponseMinutes: 5, resolutionMinutes: 30, calendar: '24x7' }])),
      }),
    );
    ok(await as('admin', 'PUT', '/queues/keys-tier2', { members: [], managers: ['tier2-lead@example.com'] }));
    ok(await as('admin', 'PUT', '/queues/keys-tier1', { members: [], managers: ['tier1-lead@example.com'], escalateTo: 'keys-tier2' }));
    ok(await as('manager', 'PUT', '/kb/categories', { categories: [{ id: 'shipping', name: 'Shipping' }] }));

    // Customers: profiles, a change, identities, interactions (one, a batch, an anonymous visitor), a merge.
    const email = (name: string) => `${name}-${unique()}@example.com`;
    const customer = async (name: string, extra: Record<string, unknown> = {}) => ok(await as('agent', 'POST', '/customers', { email: email(name), firstName: name, ...extra }), 201).json;
    const ada = await customer('ada', { attributes: { tier: 'gold' } });
    const bob = await customer('bob', { attributes: { tier: 'gold' } });
    const cy = await customer('cy');
    const dup = await customer('dup');
    const current = await as('agent', 'GET', `/customers/${cy.id}`);
    ok(await as('agent', 'PATCH', `/customers/${cy.id}`, { lastName: 'Changed' }, { ...mergePatch, 'if-match': current.headers.get('etag')! }));
    ok(await as('agent', 'POST', `/customers/${ada.id}/identities`, { type: 'externalId', value: `ext-${unique()}` }), 201);
    const anonymousId = `anon-${unique()}`;
    ok(await as('agent', 'POST', '/interactions', { items: [{ anonymousId, channel: 'web', type: 'page_view' }, { customerId: bob.id, channel: 'web', type: 'page_view' }] }));
    ok(await as('agent', 'POST', `/customers/${cy.id}/identities`, { type: 'anonymousId', value: anonymousId }), 201);
    for (const [who, order] of [[ada, 'A'], [bob, 'B'], [cy, 'C']] as const) {
      ok(await as('agent', 'POST', `/customers/${who.id}/interactions`, { channel: 'store', type: 'purchase', data: { orderId: `${order}-${unique()}`, items: [{ sku: 'KETTLE', quantity: 1, unitPrice: 40 }] } }), 201);
    }
    ok(await as('agent', 'POST', `/customers/${dup.id}/interactions`, { channel: 'chat', type: 'chat' }), 201);
    ok(await as('manager', 'POST', `/customers/${cy.id}/merge`, { sourceId: dup.id }));
    ok(await as('agent', 'GET', `/customers?email=${encodeURIComponent(ada.email)}`));
    ok(await as('agent', 'GET', `/customers/${ada.id}/timeline`));
    ok(await as('admin', 'GET', `/customers/${ada.id}/export`));

    // Consent and email: a double opt-in confirmed through its link, a grant, a one-off email, an unsubscribe.
    ok(await as('agent', 'POST', `/customers/${bob.id}/consents`, { topic: 'news', action: 'request' }), 202);
    await t.runtime.idle();
    const optIn = (await eventually(async () => ((await mailTo(bob.email)).length ? mailTo(bob.email) : undefined)))[0]!;
    ok(await form(linkIn(optIn, '/optin/confirm'), { token: linkIn(optIn, '/optin/confirm').searchParams.get('token')! }));
    ok(await as('admin', 'POST', `/customers/${ada.id}/consents`, { topic: 'news', action: 'grant', legalBasis: 'consent', proof: 'signup-form' }));
    ok(await as('admin', 'POST', `/customers/${cy.id}/consents`, { topic: 'news', action: 'grant', legalBasis: 'consent', proof: 'signup-form' }));
    const bouncing = ok(await as('agent', 'POST', '/customers', { email: `bounce+keys-${unique()}@simulator.amazonses.com` }), 201).json;
    ok(await as('admin', 'POST', `/customers/${bouncing.id}/consents`, { topic: 'news', action: 'grant', legalBasis: 'consent', proof: 'signup-form' }));
    ok(await as('marketer', 'POST', `/customers/${bouncing.id}/emails`, { topic: 'news', subject: 'Hello', text: 'Our news' }), 202);
    const sent = ok(await as('marketer', 'POST', `/customers/${cy.id}/emails`, { topic: 'news', subject: 'Hello', text: 'Our news' }), 202);
    expect(sent.json.outcome).toBe('sent');
    await t.runtime.idle();
    const news = (await eventually(async () => ((await mailTo(cy.email)).length ? mailTo(cy.email) : undefined)))[0]!;
    const unsubscribe = linkIn(news, '/unsubscribe');
    ok(await t.call('POST', `${unsubscribe.pathname}${unsubscribe.search}`, { role: null, rawBody: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } }));
    ok(await as('admin', 'GET', '/suppressions'));

    // Cases: opened in the escalating queue, a comment, assigned, listed, escalated by the SLA sweep.
    const opened = ok(await as('agent', 'POST', '/cases', { customerId: ada.id, subject: 'Kettle leaks', channel: 'email', queue: 'keys-tier1', priority: 'high' }, { 'idempotency-key': unique() }), 201).json;
    await t.runtime.idle();
    await advance(6 * 60);
    expect((await as('agent', 'GET', `/cases/${opened.id}`)).json.queue).toBe('keys-tier2');
    ok(await as('agent', 'POST', `/cases/${opened.id}/comments`, { body: 'Sorry to hear that.', visibility: 'public' }), 201);
    ok(await as('agent', 'POST', `/cases/${opened.id}/assign`, { assigneeId: 'agent-1@agents.test' }));
    ok(await as('agent', 'GET', '/cases?queue=keys-tier2'));
    ok(await as('agent', 'GET', `/cases?customerId=${ada.id}`));
    ok(await as('manager', 'GET', '/reports/sla'));

    // Knowledge: an article published, found in the help centre, rated, suggested for the case.
    const article = ok(await as('agent', 'POST', '/kb/articles', { title: 'When a kettle leaks', body: 'Descale the **kettle**.', locale: 'en-GB', category: 'shipping' }, { 'idempotency-key': unique() }), 201).json;
    ok(await as('manager', 'PATCH', `/kb/articles/${article.id}`, { status: 'published' }, { ...mergePatch, 'if-match': `"${article.version}"` }));
    await t.runtime.idle();
    const found = await eventually(async () => {
      const items = ok(await t.call('GET', '/help/articles?q=kettle', { role: null })).json.items as { id: string }[];
      return items.length > 0 ? items : undefined;
    });
    ok(await t.call('POST', `/help/articles/${found[0]!.id}/feedback`, { role: null, body: { helpful: true } }), 202);
    ok(await as('agent', 'GET', `/cases/${opened.id}/suggestions`));

    // Surveys: the case solved, its survey mailed an hour later, answered through the form.
    ok(await as('agent', 'PATCH', `/cases/${opened.id}`, { status: 'solved' }, mergePatch));
    await t.runtime.idle();
    await advance(3700);
    const survey = await eventually(async () => (await mailTo(ada.email)).find((m) => m.subject.startsWith('How did we do?')));
    const csat = [...(survey.body.text ?? '').matchAll(/https?:\/\/[^\s"<>]+\/csat\?token=[^\s"<>]+/g)].map((m) => new URL(m[0]))[4]!;
    ok(await form(csat, { token: csat.searchParams.get('token')!, score: '5', comment: 'Quick' }));
    ok(await as('manager', 'GET', '/reports/csat'));

    // Campaigns: a segment previewed and snapshotted, a campaign scheduled, started and sent.
    const segment = ok(await as('marketer', 'POST', '/segments', { name: 'Gold', rule: { field: 'attributes.tier', op: 'eq', value: 'gold' } }, { 'idempotency-key': unique() }), 201).json;
    ok(await as('marketer', 'GET', `/segments/${segment.id}/preview?limit=10`));
    ok(await as('marketer', 'POST', `/segments/${segment.id}/snapshots`, {}), 202);
    const campaign = ok(
      await as('marketer', 'POST', '/campaigns', {
        name: 'Gold news',
        topic: 'news',
        template: { subject: 'News for {{firstName|you}}', text: 'Hello {{firstName|there}}.' },
        audience: { segmentId: segment.id },
        schedule: { at: new Date(t.runtime.clock.now().getTime() + 120_000).toISOString() },
      }),
      201,
    ).json;
    ok(await as('marketer', 'POST', `/campaigns/${campaign.id}/schedule`, {}));
    await advance(180);
    await eventually(async () => ((await as('marketer', 'GET', `/campaigns/${campaign.id}`)).json.status === 'completed' ? true : undefined), 60_000);
    ok(await as('marketer', 'GET', `/campaigns/${campaign.id}/report`));
    const triggered = ok(
      await as('marketer', 'POST', '/campaigns', {
        name: 'Thanks for buying',
        topic: 'news',
        template: { subject: 'Thank you {{firstName|friend}}', text: 'Enjoy.' },
        audience: { segmentId: segment.id },
        trigger: { event: 'InteractionRecorded', where: { type: 'purchase', 'data.sku': 'TRIG-1' }, delayMinutes: 10 },
      }),
      201,
    ).json;
    ok(await as('marketer', 'POST', `/campaigns/${triggered.id}/activate`, {}));
    ok(await as('agent', 'POST', `/customers/${ada.id}/interactions`, { channel: 'store', type: 'purchase', data: { sku: 'TRIG-1' } }), 201);
    await t.runtime.idle();
    await advance(11 * 60);
    await eventually(async () => ((await mailTo(ada.email)).some((m) => m.subject === 'Thank you ada') ? true : undefined), 30_000);
    ok(await as('marketer', 'GET', `/campaigns/${campaign.id}/recipients`));

    // Sales: the catalogue, a captured lead converted, its deal won (purchases), an activity's reminder, the reports.
    ok(await as('manager', 'PUT', '/products/KETTLE', { name: 'Kettle', category: 'kitchen', price: 40, currency: 'EUR', active: true }), 201);
    ok(await t.call('POST', '/leads/capture', { role: null, body: { email: email('lead'), firstName: 'Lee', company: `Lee Ltd ${unique()}`, source: 'website' } }), 202);
    const lead = ok(await as('agent', 'POST', '/leads', { email: email('grace'), firstName: 'Grace', company: `Grace Co ${unique()}`, source: 'fair' }, { 'idempotency-key': unique() }), 201).json;
    const converted = ok(await as('agent', 'POST', `/leads/${lead.id}/convert`, { opportunity: { name: 'Kettles', amount: 80, currency: 'EUR', closeDate: '2027-05-20', products: [{ sku: 'KETTLE', quantity: 2, unitPrice: 40 }] } })).json;
    const dealId = converted.opportunity.id as string;
    const now = t.runtime.clock.now().getTime();
    ok(await as('agent', 'POST', '/activities', { type: 'call', subject: 'Follow up', dueAt: new Date(now + 3600_000).toISOString(), ownerId: 'closer@example.com', opportunityId: dealId }), 201);
    ok(await as('manager', 'PATCH', `/opportunities/${dealId}`, { stage: 'won' }, mergePatch));
    await t.runtime.idle();
    await advance(3700);
    ok(await as('manager', 'GET', '/reports/pipeline'));
    ok(await as('agent', 'GET', `/accounts/${converted.account.id}/timeline`));
    ok(await as('agent', 'GET', `/customers/${ada.id}/recommendations`));

    // Analytics: a fit over a shop's purchases (40 buyers of the CDNOW sample), scores, clusters, the case forecast.
    const buyers = new Set([...new Set(readCdnow().map((l) => l.customerId))].slice(0, 40));
    await ingestCdnow(t, readCdnow().filter((l) => buyers.has(l.customerId)));
    await t.runtime.idle();
    const fit = ok(await as('manager', 'POST', '/analytics/models/clv/fit', { asOf: '1997-09-30', periodUnit: 'week' }), 202).json;
    const job = await eventually(async () => {
      const state = (await as('manager', 'GET', `/analytics/jobs/${fit.jobId}`)).json;
      return state.status === 'succeeded' || state.status === 'failed' ? state : undefined;
    }, 60_000);
    expect(job.status, JSON.stringify(job)).toBe('succeeded');
    ok(await as('marketer', 'GET', '/analytics/clusters'));
    // A day-old queue has too little history for a forecast (422); the figures were read all the same.
    ok(await as('manager', 'GET', '/analytics/forecasts/cases?queue=keys-tier2'), 422);

    // Erasure: a staff erasure at once, and a person's own request carried out a day later.
    const bobNow = await as('admin', 'GET', `/customers/${bob.id}`);
    ok(await as('admin', 'DELETE', `/customers/${bob.id}`, undefined, { 'if-match': bobNow.headers.get('etag')! }), 204);
    const asAda = { role: null, headers: { authorization: `Bearer ${await t.token('customer', ada.id)}` } };
    ok(await t.call('DELETE', '/me', asAda), 202);
    await advance(25 * 3600);
    const today = t.runtime.clock.now().toISOString().slice(0, 10);
    ok(await as('admin', 'GET', `/usage?from=${today}&to=${today}`));
  }, 300_000);

  it('names on the table only the partition keys of its context, and Queries and Scans only its indexes', () => {
    const outside: string[] = [];
    for (const request of requests) {
      if (!request.functionName) continue;
      const name = request.functionName as FunctionName;
      const context = contextOfFunction(name);
      const allowed = KEY_PREFIXES[context];
      if (request.operation === 'Scan') {
        if (!(SCANS[name] ?? []).includes(request.index as never)) outside.push(`${name} Scan ${request.index ?? 'table'}`);
      } else if (request.index) {
        if (!allowed.indexes.includes(request.index as never)) outside.push(`${name} (${context}) Query index ${request.index}`);
      } else {
        for (const key of request.partitionKeys) if (!allowed.table.some((p) => matchesKeyPattern(key, p))) outside.push(`${name} (${context}) ${request.operation} ${key}`);
      }
      if (request.operation !== 'Scan' && request.partitionKeys.length === 0) outside.push(`${name} ${request.operation}: no partition key read from the request`);
    }
    expect([...new Set(outside)].sort()).toEqual([]);
  });

  it('saw every context and most functions with table access at work', () => {
    const seen = new Set(requests.flatMap((r) => (r.functionName ? [r.functionName] : [])));
    expect(new Set([...seen].map((f) => contextOfFunction(f as FunctionName)))).toEqual(new Set(CONTEXTS));
    const withTable = Object.entries(FUNCTIONS).filter(([, d]) => 'table' in d.access).map(([n]) => n);
    expect(withTable.filter((n) => !seen.has(n))).toEqual([]);
  });
});
