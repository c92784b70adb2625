import type { EventBridgeEvent } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Case } from '../../domain/cases/case.schema.ts';
import type { Recipient } from '../../domain/consent/consent.repository.ts';
import { emailGate } from '../../domain/consent/email-gate.ts';
import { surveyMail } from '../../domain/surveys/survey-mail.use-cases.ts';
import { CaseStatusChanged } from '../../events/case-status-changed.event.ts';
import { CustomerErased } from '../../events/customer-erased.event.ts';
import type { EventDefinition } from '../../events/define-event.ts';
import { hmacTokens, tokenSigner } from '../../functions/shared/hmac-tokens.ts';
import { csatHandler } from '../../functions/surveys/csat.app.ts';
import { csatSurveysHandler } from '../../functions/surveys/csat-surveys.handler.ts';
import { apiEvent, claimsFor, lambdaContext } from '../support/api-gateway.ts';
import { inStatus, ROUND_POLICY } from '../support/case-builders.ts';
import { fakeOnceGuard } from '../support/case-fakes.ts';
import { type FakeConsentRepository, type FakeEmailSender, fakeConsentRepository, fakeEmailSender } from '../support/consent-fakes.ts';
import { type FakeClock, fakeClock, sequentialIds } from '../support/fakes.ts';
import { type FakeSurveyRepository, fakeSurveyRepository } from '../support/survey-fakes.ts';
import { type FakeSchedules, fakeSchedules } from '../support/trigger-fakes.ts';

// The csat and csatSurveys functions' handlers on the real use cases, the real HMAC tokens and the
// real gate, over in-memory fakes.

const SECRET = 'csat-handler-test-secret-0123456789abcdef';
const ADA: Recipient = { id: 'cust-ada', email: 'ada@example.com', firstName: 'Ada', lastName: null };
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

let clock: FakeClock;
let surveys: FakeSurveyRepository;
let consents: FakeConsentRepository;
let sender: FakeEmailSender;
let schedules: FakeSchedules;
let consumer: ReturnType<typeof csatSurveysHandler>;
let http: ReturnType<typeof csatHandler>;
let solved: Case;
let infoLog: ReturnType<typeof vi.spyOn>;
let errorLog: ReturnType<typeof vi.spyOn>;

beforeEach(() => {
  clock = fakeClock('2025-01-15T10:00:00.000Z');
  const ids = sequentialIds('id');
  surveys = fakeSurveyRepository();
  consents = fakeConsentRepository({ customers: [ADA] });
  sender = fakeEmailSender();
  schedules = fakeSchedules();
  solved = { ...inStatus('solved'), customerId: ADA.id, assigneeId: 'ann@agents.test', queue: 'support' };
  surveys.cases.set(solved.id, solved);
  const cases = {
    get: async (id: string) => surveys.cases.get(id),
    casesOf: async (customerId: string) => [...surveys.cases.values()].filter((c) => c.customerId === customerId),
    policy: async () => ROUND_POLICY,
  };
  const tokens = tokenSigner(SECRET);
  const gate = emailGate({ consents, sender, clock, ids });
  consumer = csatSurveysHandler(
    surveyMail({ surveys, cases, schedules, gate, people: consents, tokens, clock, ids, once: fakeOnceGuard(), delaySeconds: 3600, linkBase: () => 'https://api.example.test' }),
  );
  http = csatHandler({ surveys, cases, people: consents, tokens, clock, ids });
  infoLog = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  errorLog = vi.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => {
  expect(errorLog).not.toHaveBeenCalled(); // no route may end in an unhandled 500
  errorLog.mockRestore();
  infoLog.mockRestore();
});

let published = 0;
function busEvent<D>(definition: EventDefinition, data: D): EventBridgeEvent<string, unknown> {
  const eventId = `evt-${++published}`;
  return {
    version: '0',
    id: `eb-${eventId}`,
    'detail-type': definition.detailType,
    source: definition.source,
    account: '123456789012',
    time: clock.now().toISOString(),
    region: 'eu-central-1',
    resources: [],
    detail: definition.detail.parse({
      metadata: { eventId, version: definition.version, occurredAt: clock.now().toISOString(), correlationId: 'corr-1', causationId: null, idempotencyKey: `idem-${eventId}` },
      data,
    }),
  };
}
const statusEvent = (from: string, to: string) => busEvent(CaseStatusChanged, { caseId: solved.id, customerId: ADA.id, from, to });
const pendingInput = () => schedules.pending.get(`csat-${solved.id}`)?.input as { caseId: string; surveyId: string } | undefined;

async function surveySent(): Promise<URL[]> {
  await consumer(statusEvent('open', 'solved'));
  clock.advance(3600_000);
  expect(await consumer(pendingInput())).toEqual({ decision: 'sent' });
  const text = sender.sent.at(-1)!.text;
  return [...text.matchAll(/https:\/\/\S+\/csat\?token=\S+/g)].map((m) => new URL(m[0]));
}

async function call(routeKey: string, options: { query?: Record<string, string>; body?: string; role?: string } = {}) {
  const result = await http(
    apiEvent({ routeKey, ...(options.query ? { query: options.query } : {}), ...(options.body !== undefined ? { body: options.body, headers: FORM } : {}), ...(options.role ? { claims: claimsFor([options.role]) } : {}) }),
    lambdaContext,
  );
  return { status: result.statusCode, type: String(result.headers?.['content-type'] ?? ''), text: result.body ?? '' };
}
const answer = (fields: Record<string, string>) => call('POST /csat', { body: new URLSearchParams(fields).toString() });

describe('csatSurveys: the status rule, the schedule, CustomerErased', () => {
  it('solved arms the survey and its one-off schedule an hour after the solve', async () => {
    expect(await consumer(statusEvent('open', 'solved'))).toEqual({ decision: 'scheduled' });
    const pending = schedules.pending.get(`csat-${solved.id}`);
    expect(pending).toMatchObject({ at: '2025-01-15T11:00:00.000Z', target: 'csatSurveys', input: { caseId: solved.id, surveyId: expect.any(String) } });
    expect(await surveys.get(solved.id)).toMatchObject({ status: 'scheduled', customerId: ADA.id });
  });

  it('the schedule sends one service mail with five score links, counts it and tells the bus; a retry sends nothing more', async () => {
    const links = await surveySent();
    expect(sender.sent).toHaveLength(1);
    expect(sender.sent[0]).toMatchObject({ to: ['ada@example.com'], kind: 'service' });
    expect(links.map((l) => l.searchParams.get('score'))).toEqual(['1', '2', '3', '4', '5']);
    expect(surveys.bucket()).toMatchObject({ surveysSent: 1 });
    expect(surveys.bucket('support', 'ann@agents.test')).toMatchObject({ surveysSent: 1 });
    expect(surveys.events.map((e) => [e.definition.detailType, e.data])).toEqual([
      ['CaseSurveySent', { caseId: solved.id, customerId: ADA.id, surveyId: pendingInput()!.surveyId, queue: 'support', assigneeId: 'ann@agents.test' }],
    ]);
    expect(await consumer(pendingInput())).toEqual({ decision: 'stale' });
    expect(sender.sent).toHaveLength(1);
  });

  it('a reopen before the time cancels the survey and its schedule; the old schedule firing sends nothing', async () => {
    await consumer(statusEvent('open', 'solved'));
    const input = pendingInput()!;
    clock.advance(600_000);
    expect(await consumer(statusEvent('solved', 'open'))).toEqual({ decision: 'cancelled' });
    expect(schedules.pending.size).toBe(0);
    expect(await consumer(input)).toEqual({ decision: 'stale' });
    expect(sender.sent).toHaveLength(0);
  });

  it('a second solve after a sent survey arms nothing', async () => {
    await surveySent();
    expect(await consumer(statusEvent('open', 'solved'))).toEqual({ decision: 'already-sent' });
    expect(schedules.pending.size).toBe(1); // only the one the first solve made (Scheduler deletes it after firing)
    expect(schedules.created).toBe(1);
  });

  it('the gate refuses a suppressed address: no mail, the survey is marked and not tried again', async () => {
    await consents.suppress({ email: 'ada@example.com', reason: 'bounce', at: clock.now().toISOString(), detail: null }, [], { correlationId: 't' });
    await consumer(statusEvent('open', 'solved'));
    clock.advance(3600_000);
    expect(await consumer(pendingInput())).toEqual({ decision: 'blocked:suppressed' });
    expect(sender.sent).toHaveLength(0);
    expect(await surveys.get(solved.id)).toMatchObject({ status: 'not_sent', reason: 'suppressed' });
    expect(await consumer(pendingInput())).toEqual({ decision: 'stale' });
    expect(surveys.bucket()).toEqual({ surveysSent: 0, responses: 0, scoreSum: 0, satisfied: 0 });
  });

  it('CustomerErased scrubs the survey comment (the score stays) and stops a survey not yet sent', async () => {
    const links = await surveySent();
    expect((await answer({ token: links[0]!.searchParams.get('token')!, score: '1', comment: 'Rude' })).status).toBe(200);
    const other: Case = { ...solved, id: 'case-2' };
    surveys.cases.set(other.id, other);
    await consumer(busEvent(CaseStatusChanged, { caseId: other.id, customerId: ADA.id, from: 'open', to: 'solved' }));
    expect(await consumer(busEvent(CustomerErased, { customerId: ADA.id }))).toEqual({ decision: 'scrubbed:1' });
    expect(await surveys.get(solved.id)).toMatchObject({ score: 1, comment: null });
    expect(await surveys.get(other.id)).toMatchObject({ status: 'not_sent', reason: 'erased' });
    expect(schedules.pending.has('csat-case-2')).toBe(false);
  });

  it('an input that is none of the three is an error (retried, then dead-lettered)', async () => {
    await expect(consumer({ hello: 'world' })).rejects.toThrow();
  });
});

describe('csat: the page, the form, the report', () => {
  it('GET shows the page with the score selected and records nothing', async () => {
    const links = await surveySent();
    const page = await call('GET /csat', { query: { token: links[2]!.searchParams.get('token')!, score: '3' } });
    expect([page.status, page.type]).toEqual([200, 'text/html; charset=utf-8']);
    expect(page.text).toMatch(/value="3" required checked/);
    expect(page.text).toContain(solved.number);
    expect(surveys.bucket()).toMatchObject({ responses: 0 });
    expect(surveys.cases.get(solved.id)!.satisfaction).toBeNull();
  });

  it('POST records the answer on the survey, the case, the timeline and the figures; a re-answer replaces it', async () => {
    const links = await surveySent();
    const token = links[4]!.searchParams.get('token')!;
    expect((await answer({ token, score: '3', comment: '  Fine  ' })).status).toBe(200);
    expect(surveys.cases.get(solved.id)!.satisfaction).toMatchObject({ score: 3, comment: 'Fine' });
    expect((await answer({ token, score: '5' })).status).toBe(200);
    expect(surveys.cases.get(solved.id)!.satisfaction).toMatchObject({ score: 5, comment: null });
    expect(surveys.bucket()).toEqual({ surveysSent: 1, responses: 1, scoreSum: 5, satisfied: 1 });
    expect(surveys.timeline.map((e) => e.score)).toEqual([3, 5]);
    expect(surveys.events.filter((e) => e.definition.detailType === 'CaseRated').map((e) => e.data)).toEqual([
      expect.objectContaining({ score: 3, previousScore: null }),
      expect.objectContaining({ score: 5, previousScore: 3 }),
    ]);
  });

  it('a concurrent answer is retried on the fresh survey: the last one wins and counts once', async () => {
    const links = await surveySent();
    const token = links[0]!.searchParams.get('token')!;
    surveys.beforeNextWrite(() => answer({ token, score: '2' }));
    expect((await answer({ token, score: '4' })).status).toBe(200);
    expect(surveys.cases.get(solved.id)!.satisfaction?.score).toBe(4);
    expect(surveys.bucket()).toEqual({ surveysSent: 1, responses: 1, scoreSum: 4, satisfied: 1 });
  });

  it('token outcomes: tampered 400, expired 410, survey or person gone 404, wrong purpose 400', async () => {
    const links = await surveySent();
    const token = links[0]!.searchParams.get('token')!;
    expect((await call('GET /csat', { query: { token: `${token}x` } })).status).toBe(400);
    expect((await call('GET /csat', { query: { token, score: '6' } })).status).toBe(400);
    expect((await answer({ token, score: 'five' })).status).toBe(400);
    expect((await answer({ score: '5' })).status).toBe(400);
    const signer = hmacTokens(SECRET);
    const unsubscribe = signer.sign({ purpose: 'unsubscribe', customerId: ADA.id, topic: 'news', id: 'x' });
    expect((await call('GET /csat', { query: { token: unsubscribe } })).status).toBe(400);
    const foreign = signer.sign({ purpose: 'csat', caseId: solved.id, surveyId: 'other', customerId: ADA.id, score: 2, exp: Math.floor(clock.now().getTime() / 1000) + 60 });
    expect((await call('GET /csat', { query: { token: foreign } })).status).toBe(404);
    surveys.erasing(ADA.id);
    expect((await answer({ token, score: '5' })).status).toBe(404);
    consents.markErased(ADA.id);
    expect((await call('GET /csat', { query: { token } })).status).toBe(404);
    clock.advance(31 * 24 * 3600_000);
    const expired = await call('GET /csat', { query: { token } });
    expect([expired.status, expired.type]).toEqual([410, 'text/html; charset=utf-8']);
    expect((await answer({ token, score: '5' })).status).toBe(410);
  });

  it('the report: figures from the counters, for staff who may see reports', async () => {
    const links = await surveySent();
    await answer({ token: links[0]!.searchParams.get('token')!, score: '4' });
    const res = await call('GET /reports/csat', { query: { queue: 'support' }, role: 'manager' });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ from: '2024-12-17', to: '2025-01-15', queue: 'support', assignee: null, surveysSent: 1, responses: 1, responseRate: 100, averageScore: 4, csatPercent: 100 });
    expect((await call('GET /reports/csat', { role: 'agent' })).status).toBe(403);
    expect((await call('GET /reports/csat', { query: { from: '2025-02-01', to: '2025-01-01' }, role: 'admin' })).status).toBe(400);
  });
});
