import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

// Issue 11 end to end, every part real and reached only through the HTTP API: a manager publishes
// an article (outbox, bus, search indexer, stored index), the public finds it with a typo, a
// customer opens a case through /me, the agent gets the article suggested and links it, the
// customer reads the public URL, the solved case's survey arrives on the virtual clock and its
// answer lands on the case and the report, and the customer's own erasure runs after its grace.

let t: TestRuntime;
const MANAGER = { role: 'manager' as const };
const AGENT = { role: 'agent' as const };

interface StoredEmail {
  subject: string;
  destination: { to: string[] };
  body: { text?: string };
}
const mailTo = async (address: string) =>
  ((await (await fetch(`${t.runtime.sesUrl}/store`)).json()) as { emails: StoredEmail[] }).emails.filter((e) => e.destination.to.includes(address));

async function advance(seconds: number) {
  expect((await t.call('POST', '/_local/clock/advance', { role: null, body: { seconds } })).status).toBe(200);
  await t.runtime.idle();
}

let customerId: string;
let asCustomer: { role: null; headers: Record<string, string> };
const json = (headers: Record<string, string> = {}) => ({ ...asCustomer, headers: { ...asCustomer.headers, ...headers } });

beforeAll(async () => {
  t = await startTestRuntime();
  const created = await t.call('POST', '/customers', { body: { email: 'robin.flow@example.com', firstName: 'Robin', locale: 'en-GB' } });
  expect(created.status, created.text).toBe(201);
  customerId = created.json.id;
  asCustomer = { role: null, headers: { authorization: `Bearer ${await t.token('customer', customerId)}` } };
});
afterAll(async () => {
  await t?.runtime.stop();
});

describe('self-service, from the help centre to erasure', () => {
  let articleId: string;
  let articleUrl: string;
  let caseId: string;

  it('a published article is searchable within seconds, typo and all', async () => {
    const created = await t.call('POST', '/kb/articles', {
      ...MANAGER,
      body: { title: 'Reset your password', body: 'Forgot your **password**? Use the *Reset* link on the sign-in page.', locale: 'en-GB', status: 'published' },
    });
    expect(created.status, created.text).toBe(201);
    articleId = created.json.id;
    const started = Date.now();
    const hit = await eventually(async () => {
      const res = await t.call('GET', '/help/articles?q=pasword', { role: null });
      return res.json.items.find((h: { id: string }) => h.id === articleId);
    }, 15_000);
    const seconds = (Date.now() - started) / 1000;
    expect(seconds).toBeLessThan(15);
    expect(hit.snippet.title).toContain('<mark>');
    articleUrl = hit.url;
    expect(new URL(articleUrl).pathname).toBe('/help/articles/reset-your-password');
  });

  it('a customer opens a case through /me; the agent gets the article suggested and links it', async () => {
    const opened = await t.call('POST', '/me/cases', { ...json(), body: { subject: 'Cannot sign in', description: 'I forgot my password and cannot log in.' } });
    expect(opened.status, opened.text).toBe(201);
    caseId = opened.json.id;

    const suggestions = await t.call('GET', `/cases/${caseId}/suggestions`, AGENT);
    expect(suggestions.status, suggestions.text).toBe(200);
    expect(suggestions.json.items[0].id).toBe(articleId);

    const internal = await t.call('POST', `/cases/${caseId}/comments`, { ...AGENT, body: { body: 'Customer locked out; sending the KB link.' } });
    expect(internal.status, internal.text).toBe(201);
    const linked = await t.call('POST', `/cases/${caseId}/comments`, { ...AGENT, body: { body: 'This article shows how.', visibility: 'public', articleIds: [articleId] } });
    expect(linked.status, linked.text).toBe(201);
    expect(linked.json.articles).toEqual([{ id: articleId, title: 'Reset your password', url: articleUrl }]);

    const seen = await t.call('GET', `/me/cases/${caseId}/comments`, json());
    expect(seen.status).toBe(200);
    expect(seen.json.items).toHaveLength(1);
    expect(seen.json.items[0].body).toContain(articleUrl);

    const page = await t.call('GET', new URL(articleUrl).pathname, { role: null, headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.text).toContain('Reset your password');
    expect(page.text).toContain('<strong>password</strong>');
  });

  it('the solved case sends its survey an hour later; the answer lands on the case, the timeline and the report', async () => {
    const solved = await t.call('PATCH', `/cases/${caseId}`, { ...AGENT, body: { status: 'solved' } });
    expect(solved.status, solved.text).toBe(200);
    await t.runtime.idle();
    await advance(3600);
    const survey = await eventually(async () => (await mailTo('robin.flow@example.com')).find((m) => m.subject.startsWith('How did we do?')));
    const links = [...(survey.body.text ?? '').matchAll(/https?:\/\/[^\s"<>]+\/csat\?token=[^\s"<>]+/g)].map((m) => new URL(m[0]));
    expect(links).toHaveLength(5);
    const token = links[4]!.searchParams.get('token')!;
    const answered = await t.call('POST', '/csat', {
      role: null,
      rawBody: new URLSearchParams({ token, score: '5', comment: 'Quick and kind' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(answered.status, answered.text).toBe(200);
    await t.runtime.idle();

    expect((await t.call('GET', `/cases/${caseId}`, AGENT)).json.satisfaction).toMatchObject({ score: 5, comment: 'Quick and kind' });
    const timeline = await t.call('GET', '/me/timeline', json());
    expect(timeline.json.items.map((e: { type: string }) => e.type)).toContain('case_rated');
    const report = await t.call('GET', '/reports/csat?queue=general', MANAGER);
    expect(report.json).toMatchObject({ surveysSent: 1, responses: 1, averageScore: 5, csatPercent: 100 });

    const closed = await t.call('POST', `/me/cases/${caseId}/close`, json());
    expect(closed.status, closed.text).toBe(200);
    expect(closed.json.status).toBe('closed');
  });

  it("the customer's own erasure runs after the grace period and takes the case text and the survey comment with it", async () => {
    const requested = await t.call('DELETE', '/me', json());
    expect(requested.status, requested.text).toBe(202);
    await t.runtime.idle();
    const pending = await t.call('GET', '/erasure-requests', MANAGER);
    expect(pending.json.items.map((r: { customerId: string }) => r.customerId)).toContain(customerId);

    await advance(7 * 24 * 3600 + 60);
    await eventually(async () => ((await t.call('GET', `/customers/${customerId}`, AGENT)).status === 404 ? true : undefined));
    await t.runtime.idle();
    const scrubbed = await eventually(async () => {
      const res = await t.call('GET', `/cases/${caseId}`, AGENT);
      return res.json.subject === 'Cannot sign in' ? undefined : res.json;
    });
    expect(scrubbed.description ?? '').not.toContain('password');
    expect(scrubbed.satisfaction).toMatchObject({ score: 5 });
    expect(scrubbed.satisfaction.comment).toBeNull();
    expect((await t.call('GET', '/erasure-requests', MANAGER)).json.items.map((r: { customerId: string }) => r.customerId)).not.toContain(customerId);
    expect((await t.call('GET', '/me', json())).status).toBe(404);
  });
});
