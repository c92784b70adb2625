import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hmacTokens } from '../../functions/shared/hmac-tokens.ts';
import { eventually, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

// Satisfaction surveys through the real local runtime: the case-status rule on the local bus, the
// survey's one-off schedule on the virtual clock, the mail in aws-ses-v2-local, the pages and the
// form over HTTP, the figures from the table.

const SECRET = 'csat-e2e-token-secret-0123456789abcdef';
let t: TestRuntime;

interface StoredEmail {
  subject: string;
  destination: { to: string[] };
  body: { text?: string; html?: string };
}
const emails = async () => ((await (await fetch(`${t.runtime.sesUrl}/store`)).json()) as { emails: StoredEmail[] }).emails;
const surveysTo = async (address: string) => (await emails()).filter((e) => e.destination.to.includes(address) && e.subject.startsWith('How did we do?'));
const linksIn = (mail: StoredEmail) => [...(mail.body.text ?? '').matchAll(/https?:\/\/[^\s"<>]+\/csat\?token=[^\s"<>]+/g)].map((m) => new URL(m[0]));
const pathOf = (link: URL) => `${link.pathname}${link.search}`;

let serial = 0;
async function solvedCase(email: string) {
  const assignee = `agent-${++serial}@agents.test`;
  const customer = (await t.call('POST', '/customers', { body: { email, firstName: 'Sam' } })).json;
  const opened = (await t.call('POST', '/cases', { body: { customerId: customer.id, subject: 'Kettle broken', channel: 'email', queue: 'support' } })).json;
  expect((await t.call('POST', `/cases/${opened.id}/assign`, { body: { assigneeId: assignee } })).status).toBe(200);
  await status(opened.id, 'solved');
  return { customer, caseId: opened.id as string, number: opened.number as string, assignee };
}
async function status(caseId: string, to: string) {
  const res = await t.call('PATCH', `/cases/${caseId}`, { body: { status: to } });
  expect(res.status, res.text).toBe(200);
  await t.runtime.idle();
}
async function advance(seconds: number) {
  expect((await t.call('POST', '/_local/clock/advance', { role: null, body: { seconds } })).status).toBe(200);
  await t.runtime.idle();
}
const submit = (fields: Record<string, string>) =>
  t.call('POST', '/csat', { role: null, rawBody: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
const report = async (query: string) => {
  const res = await t.call('GET', `/reports/csat?${query}`, { role: 'manager' });
  expect(res.status, res.text).toBe(200);
  return res.json;
};
const busEvents = async (detailType: string) =>
  ((await t.call('GET', '/_local/events?limit=500', { role: null })).json.items as { detailType: string; detail: { data: Record<string, unknown> } }[])
    .filter((e) => e.detailType === detailType)
    .map((e) => e.detail.data);

beforeAll(async () => {
  t = await startTestRuntime({ tokenSecret: SECRET });
});
afterAll(async () => {
  await t?.runtime.stop();
});

describe('CSAT surveys', () => {
  let happy: Awaited<ReturnType<typeof solvedCase>>;
  let links: URL[];

  it('mails one survey an hour after the case is solved, with a signed link per score', async () => {
    happy = await solvedCase('happy.csat@example.com');
    // A minute short of the delay (the real clock moves on under the virtual one while the test runs).
    await advance(3540);
    expect(await surveysTo('happy.csat@example.com')).toHaveLength(0);
    await advance(60);
    const mails = await eventually(async () => ((await surveysTo('happy.csat@example.com')).length ? surveysTo('happy.csat@example.com') : undefined));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toContain(happy.number);
    links = linksIn(mails[0]!);
    expect(links.map((l) => l.searchParams.get('score'))).toEqual(['1', '2', '3', '4', '5']);
    expect(new Set(links.map((l) => l.searchParams.get('token'))).size).toBe(5);
    expect(await report(`assignee=${happy.assignee}`)).toMatchObject({ surveysSent: 1, responses: 0, responseRate: 0, averageScore: null, csatPercent: null });
    await t.runtime.idle();
    expect((await busEvents('CaseSurveySent')).filter((e) => e.caseId === happy.caseId)).toEqual([
      { caseId: happy.caseId, customerId: happy.customer.id, surveyId: expect.any(String), queue: 'support', assigneeId: happy.assignee },
    ]);
  });

  it('shows the page with the score selected on GET, and records nothing (mail scanners follow links)', async () => {
    const page = await t.call('GET', pathOf(links[1]!), { role: null });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.text).toContain(happy.number);
    expect(page.text).toMatch(/id="score-2" name="score" value="2" required checked/);
    expect(page.text).not.toMatch(/value="4" required checked/);
    expect(page.text).toContain('<textarea');
    const other = await t.call('GET', `/csat?token=${encodeURIComponent(links[1]!.searchParams.get('token')!)}&score=4`, { role: null });
    expect(other.text).toMatch(/value="4" required checked/);
    expect((await t.call('GET', `/cases/${happy.caseId}`)).json.satisfaction).toBeNull();
    expect(await report(`assignee=${happy.assignee}`)).toMatchObject({ responses: 0 });
  });

  it('records the form: the score lands on the case, the timeline and the figures', async () => {
    const res = await submit({ token: links[3]!.searchParams.get('token')!, score: '2', comment: 'Took two weeks.' });
    expect(res.status, res.text).toBe(200);
    expect(res.text).toContain('Thank you');
    const rated = (await t.call('GET', `/cases/${happy.caseId}`)).json;
    expect(rated.satisfaction).toMatchObject({ score: 2, comment: 'Took two weeks.' });
    const timeline = (await t.call('GET', `/customers/${happy.customer.id}/timeline?limit=100`)).json.items as { type: string; data: Record<string, unknown> }[];
    expect(timeline.filter((i) => i.type === 'case_rated').map((i) => i.data)).toEqual([expect.objectContaining({ caseId: happy.caseId, score: 2 })]);
    expect(await report(`assignee=${happy.assignee}`)).toMatchObject({ surveysSent: 1, responses: 1, responseRate: 100, averageScore: 2, csatPercent: 0 });
    expect(await report(`queue=support&assignee=${happy.assignee}`)).toMatchObject({ queue: 'support', assignee: happy.assignee, responses: 1, averageScore: 2 });
  });

  it('keeps the last answer when the customer answers again, and the figures follow', async () => {
    const before = (await t.call('GET', `/cases/${happy.caseId}`)).json.version;
    const res = await submit({ token: links[0]!.searchParams.get('token')!, score: '5' });
    expect(res.status).toBe(200);
    const rated = (await t.call('GET', `/cases/${happy.caseId}`)).json;
    expect(rated.satisfaction).toMatchObject({ score: 5, comment: null });
    expect(rated.version).toBe(before + 1);
    expect(await report(`assignee=${happy.assignee}`)).toMatchObject({ surveysSent: 1, responses: 1, averageScore: 5, csatPercent: 100 });
    await t.runtime.idle();
    const ratings = await eventually(async () => {
      const found = (await busEvents('CaseRated')).filter((e) => e.caseId === happy.caseId);
      return found.length >= 2 ? found : undefined;
    });
    // The local event log lists the newest first.
    expect(ratings.map((e) => [e.score, e.previousScore])).toEqual([
      [5, 2],
      [2, null],
    ]);
    expect(JSON.stringify(ratings)).not.toContain('Took two weeks');
  });

  it('sends no second survey when the case is solved again', async () => {
    await status(happy.caseId, 'open');
    await status(happy.caseId, 'solved');
    await advance(3600);
    expect(await surveysTo('happy.csat@example.com')).toHaveLength(1);
  });

  it('sends nothing for a case reopened before the survey was due', async () => {
    const reopened = await solvedCase('reopened.csat@example.com');
    await advance(1800);
    await status(reopened.caseId, 'open');
    await advance(3600);
    expect(await surveysTo('reopened.csat@example.com')).toHaveLength(0);
    expect(await report(`assignee=${reopened.assignee}`)).toMatchObject({ surveysSent: 0, responseRate: null });
  });

  it('sends nothing to a suppressed address (service mail still passes the gate)', async () => {
    // The first survey bounces (mailbox simulator), which suppresses the address.
    const first = await solvedCase('bounce+csat@simulator.amazonses.com');
    await advance(3600);
    await eventually(async () => ((await t.call('GET', '/suppressions', { role: 'admin' })).json.items.some((s: { email: string }) => s.email === 'bounce+csat@simulator.amazonses.com') ? true : undefined));
    expect(await surveysTo('bounce+csat@simulator.amazonses.com')).toHaveLength(1);
    const other = (await t.call('POST', '/cases', { body: { customerId: first.customer.id, subject: 'Lid loose', channel: 'web', queue: 'support' } })).json;
    await status(other.id, 'solved');
    await advance(3600);
    expect(await surveysTo('bounce+csat@simulator.amazonses.com')).toHaveLength(1);
  });

  it('answers a tampered link 400, an expired one 410, one for nothing 404, all as pages', async () => {
    const token = links[2]!.searchParams.get('token')!;
    const tampered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    expect((await t.call('GET', `/csat?token=${encodeURIComponent(tampered)}&score=3`, { role: null })).status).toBe(400);
    expect((await submit({ token: tampered, score: '3' })).status).toBe(400);
    expect((await t.call('GET', `/csat?token=${encodeURIComponent(token)}&score=9`, { role: null })).status).toBe(400);
    expect((await submit({ token, score: '0' })).status).toBe(400);

    const signer = hmacTokens(SECRET);
    const base = { purpose: 'csat' as const, caseId: happy.caseId, surveyId: 'whatever', customerId: happy.customer.id, score: 3 };
    const expired = signer.sign({ ...base, exp: Math.floor(Date.now() / 1000) - 60 });
    const page = await t.call('GET', `/csat?token=${encodeURIComponent(expired)}`, { role: null });
    expect([page.status, page.headers.get('content-type')]).toEqual([410, expect.stringContaining('text/html')]);
    expect((await submit({ token: expired, score: '3' })).status).toBe(410);
    const nothing = signer.sign({ ...base, exp: Math.floor(Date.now() / 1000) + 3600 * 24 * 60 });
    expect((await t.call('GET', `/csat?token=${encodeURIComponent(nothing)}`, { role: null })).status).toBe(404);
    // An unsubscribe token is signed with the same secret, and is still no survey link.
    const unsubscribe = signer.sign({ purpose: 'unsubscribe', customerId: happy.customer.id, topic: 'news', id: 'x' });
    expect((await submit({ token: unsubscribe, score: '3' })).status).toBe(400);
    expect((await t.call('GET', `/cases/${happy.caseId}`)).json.satisfaction.score).toBe(5);
  });

  it('erasure drops the comment from the case and keeps the score; the links then find nothing', async () => {
    const gone = await solvedCase('erased.csat@example.com');
    await advance(3600);
    const [mail] = await surveysTo('erased.csat@example.com');
    const token = linksIn(mail!)[0]!.searchParams.get('token')!;
    expect((await submit({ token, score: '1', comment: 'Call me on 0170 1234567' })).status).toBe(200);
    const profile = await t.call('GET', `/customers/${gone.customer.id}`);
    expect((await t.call('DELETE', `/customers/${gone.customer.id}`, { role: 'admin', headers: { 'if-match': profile.headers.get('etag')! } })).status).toBe(204);
    await t.runtime.idle();
    const scrubbed = await eventually(async () => {
      const c = (await t.call('GET', `/cases/${gone.caseId}`)).json;
      return c.satisfaction?.comment === null ? c : undefined;
    });
    expect(scrubbed.satisfaction.score).toBe(1);
    expect((await t.call('GET', `/csat?token=${encodeURIComponent(token)}`, { role: null })).status).toBe(404);
    expect(await report(`assignee=${gone.assignee}`)).toMatchObject({ surveysSent: 1, responses: 1, averageScore: 1 });
  });

  it('lets only managers and admins read the report, and checks its days', async () => {
    expect((await t.call('GET', '/reports/csat', { role: 'agent' })).status).toBe(403);
    expect((await t.call('GET', '/reports/csat', { role: 'admin' })).status).toBe(200);
    expect((await t.call('GET', '/reports/csat?from=2026-02-01&to=2026-01-01', { role: 'manager' })).status).toBe(400);
    const all = await report('');
    expect(all.surveysSent).toBeGreaterThanOrEqual(2);
    expect(all).toMatchObject({ queue: null, assignee: null });
  });
});
