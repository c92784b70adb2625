import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Recipient } from '../../domain/consent/consent.repository.ts';
import type { Topic } from '../../domain/consent/consent.schema.ts';
import { consentUseCases, OPTIN_TTL_SECONDS } from '../../domain/consent/consent.use-cases.ts';
import { emailGate } from '../../domain/consent/email-gate.ts';
import { type OptInMail, optInMail } from '../../domain/consent/optin-mail.use-cases.ts';
import { fakeOnceGuard } from '../support/case-fakes.ts';
import { consentHandler } from '../../functions/consent/consent.app.ts';
import { hmacTokens, tokenSigner } from '../../functions/shared/hmac-tokens.ts';
import { type ApiRequest, apiEvent, claimsFor, lambdaContext } from '../support/api-gateway.ts';
import { type FakeConsentRepository, type FakeEmailSender, fakeConsentRepository, fakeEmailSender } from '../support/consent-fakes.ts';
import { type FakeClock, fakeClock, sequentialIds } from '../support/fakes.ts';

// The consent Lambda's routes (consentHandler) driven with API Gateway v2 events, on use cases
// built from the in-memory fakes and the real HMAC tokens.

const BASE = 'https://api.example.test'; // what the handler derives from the event's domainName
const TOPICS: Topic[] = [
  { id: 'newsletter', name: 'Monthly newsletter', description: '', purpose: 'marketing' },
  { id: 'product-news', name: 'Product news', description: '', purpose: 'marketing' },
  { id: 'account', name: 'Account notices', description: '', purpose: 'service' },
];
const ADA: Recipient = { id: 'c-ada', email: 'ada@example.com', firstName: 'Ada', lastName: null };
const BOB: Recipient = { id: 'c-bob', email: 'bob@example.com', firstName: 'Bob', lastName: null };
const ADMIN = claimsFor(['admin']);
const AGENT = claimsFor(['agent']);
const MARKETER = claimsFor(['marketer']);
const ADA_SELF = claimsFor(['customer'], { sub: 'ada-login', customerId: ADA.id });
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

const SECRET = 'handler-test-secret-0123456789abcdef';
let clock: FakeClock;
let consents: FakeConsentRepository;
let sender: FakeEmailSender;
let tokens: ReturnType<typeof hmacTokens>;
let handler: ReturnType<typeof consentHandler>;
let errorLog: ReturnType<typeof vi.spyOn>;
let mail: OptInMail;
let mailed: number;

beforeEach(() => {
  clock = fakeClock('2025-01-15T09:00:00.000Z');
  const ids = sequentialIds('id');
  consents = fakeConsentRepository({ topics: TOPICS, customers: [ADA, BOB] });
  sender = fakeEmailSender();
  tokens = hmacTokens(SECRET);
  const gate = emailGate({ consents, sender, clock, ids });
  handler = consentHandler({ consent: consentUseCases({ consents, gate, tokens: tokenSigner(SECRET), clock, ids }), gate });
  mail = optInMail({ consents, gate, tokens: tokenSigner(SECRET), clock, once: fakeOnceGuard() });
  mailed = 0;
  errorLog = vi.spyOn(console, 'error').mockImplementation(() => undefined);
});

afterEach(() => {
  expect(errorLog).not.toHaveBeenCalled(); // no route may end in an unhandled 500
  errorLog.mockRestore();
});

interface Response {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly text: string;
  readonly json: any;
}

/** Invokes the handler; the body is parsed only when it is JSON (pages are HTML). */
async function call(request: ApiRequest): Promise<Response> {
  const result = await handler(apiEvent(request), lambdaContext);
  const headers = Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
  const text = result.body ?? '';
  return { statusCode: result.statusCode ?? 200, headers, text, json: /json/.test(headers['content-type'] ?? '') && text ? JSON.parse(text) : undefined };
}

const stateOf = async (topic: string, customerId = ADA.id) => (await consents.states(customerId)).find((s) => s.topic === topic)?.state ?? 'none';

function expectPage(response: Response, status: number) {
  expect(response.statusCode).toBe(status);
  expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
  expect(response.text).toMatch(/^<!doctype html>/);
  expect(response.text).not.toContain('urn:ecrm:problem');
}

function expectProblem(response: Response, status: number) {
  expect(response.statusCode).toBe(status);
  expect(response.headers['content-type']).toBe('application/problem+json');
  expect(response.json).toMatchObject({ status });
}

async function grant(topic: string, customerId = ADA.id) {
  const response = await call({
    routeKey: 'POST /customers/{id}/consents',
    pathParameters: { id: customerId },
    body: { topic, action: 'grant', legalBasis: 'consent', proof: 'form-1' },
    claims: ADMIN,
  });
  expect(response.statusCode).toBe(200);
}

/** What the outbox and the ConsentRequested rule do: each new request's mail goes out. */
async function deliverOptInMails() {
  const requests = consents.events.filter((e) => e.definition.detailType === 'ConsentRequested');
  for (const event of requests.slice(mailed)) await mail.send(`evt-${++mailed}`, event.data as Parameters<OptInMail['send']>[1], { correlationId: 'bus' });
}

/** Requests a double opt-in for Ada and returns the token of the emailed link. */
async function optInToken(topic = 'newsletter') {
  const response = await call({ routeKey: 'POST /customers/{id}/consents', pathParameters: { id: ADA.id }, body: { topic, action: 'request' }, claims: AGENT });
  expect(response.statusCode).toBe(202);
  await deliverOptInMails();
  const link = new RegExp(`${BASE}/optin/confirm\\?token=(\\S+)`).exec(sender.sent.at(-1)?.text ?? '')?.[1];
  return decodeURIComponent(link!);
}

const unsubscribeToken = (topic = 'newsletter', customerId = ADA.id) => tokens.sign({ purpose: 'unsubscribe', customerId, topic, id: 'u-1' });

describe('/optin/confirm (public): GET shows a button, POST confirms', () => {
  const confirmPost = (token: string, via: 'body' | 'query' = 'body') =>
    via === 'body'
      ? call({ routeKey: 'POST /optin/confirm', headers: FORM, body: new URLSearchParams({ token }).toString() })
      : call({ routeKey: 'POST /optin/confirm', query: { token }, headers: FORM, body: '' });

  it('GET answers a page naming the topic with a form that posts the token, and confirms nothing (mail scanners follow links)', async () => {
    const token = await optInToken();
    const response = await call({ routeKey: 'GET /optin/confirm', query: { token } });
    expectPage(response, 200);
    expect(response.text).toContain('Monthly newsletter');
    expect(response.headers['cache-control']).toBe('no-store');
    const form = /<form method="post" action="([^"]*)">(.*?)<\/form>/s.exec(response.text);
    expect(form?.[1]).toBe('confirm');
    expect(form?.[2]).toContain(`<input type="hidden" name="token" value="${token}">`);
    expect(form?.[2]).toContain('<button type="submit">');
    expect(await stateOf('newsletter')).toBe('pending');
    expect((await consents.ledger(ADA.id)).map((e) => e.action)).toEqual(['requested']);
  });

  it('POST confirms with the token in the form body or the query, names the topic, and twice is fine', async () => {
    const token = await optInToken();
    const response = await confirmPost(token);
    expectPage(response, 200);
    expect(response.text).toContain('Monthly newsletter');
    expect(response.text).not.toContain('<form');
    expect(await stateOf('newsletter')).toBe('subscribed');
    expectPage(await confirmPost(token, 'query'), 200);
    expect((await consents.ledger(ADA.id)).map((e) => e.action)).toEqual(['requested', 'confirmed']);
  });

  it('answers a 410 page for an expired link, to GET and POST', async () => {
    const token = await optInToken();
    clock.advance((OPTIN_TTL_SECONDS + 1) * 1000);
    expectPage(await call({ routeKey: 'GET /optin/confirm', query: { token } }), 410);
    expectPage(await confirmPost(token), 410);
    expect(await stateOf('newsletter')).toBe('pending');
  });

  it('answers a 410 page for a link a withdrawal superseded, and stays unsubscribed', async () => {
    const token = await optInToken();
    expectPage(await confirmPost(token), 200);
    await call({ routeKey: 'POST /unsubscribe', query: { token: unsubscribeToken() }, headers: FORM, body: 'List-Unsubscribe=One-Click' });
    expectPage(await call({ routeKey: 'GET /optin/confirm', query: { token } }), 410);
    expectPage(await confirmPost(token), 410);
    expect(await stateOf('newsletter')).toBe('unsubscribed');
  });

  it('answers a 400 page for a tampered or missing token, to GET and POST, and changes nothing', async () => {
    const token = await optInToken();
    const tampered = `${token.slice(0, -4)}AAAA`;
    expectPage(await call({ routeKey: 'GET /optin/confirm', query: { token: tampered } }), 400);
    expectPage(await call({ routeKey: 'GET /optin/confirm' }), 400);
    expectPage(await confirmPost(tampered), 400);
    expectPage(await confirmPost(tampered, 'query'), 400);
    expectPage(await call({ routeKey: 'POST /optin/confirm', headers: FORM, body: '' }), 400);
    expect(await stateOf('newsletter')).toBe('pending');
  });

  it('answers a 404 page when the customer is gone', async () => {
    const token = await optInToken();
    consents.markErased(ADA.id);
    expectPage(await confirmPost(token), 404);
  });
});

describe('pages name the topic, link to the preference page, and offer nothing twice', () => {
  const preferencesLink = (html: string) => {
    const href = /<a href="([^"]*\/preferences\?token=[^"]+)"/.exec(html)?.[1];
    expect(href, 'a link to the preference page').toBeDefined();
    return new URL(href!.replaceAll('&amp;', '&'), `${BASE}/optin/confirm`);
  };

  it('the confirmation page links to a preference page for the confirmed person', async () => {
    const response = await call({ routeKey: 'POST /optin/confirm', headers: FORM, body: new URLSearchParams({ token: await optInToken() }).toString() });
    const link = preferencesLink(response.text);
    const preferences = await call({ routeKey: 'GET /preferences', query: { token: link.searchParams.get('token')! } });
    expectPage(preferences, 200);
    expect(preferences.text).toContain('Monthly newsletter');
    expect(preferences.text).toContain('Product news');
    expect(preferences.text).not.toContain('Account notices'); // service mail is not a preference
  });

  it('the unsubscribe page names the topic and links to the preference page', async () => {
    await grant('newsletter');
    const response = await call({ routeKey: 'GET /unsubscribe', query: { token: unsubscribeToken() } });
    expect(response.text).toContain('Monthly newsletter');
    expect(preferencesLink(response.text).searchParams.get('token')).toBe(unsubscribeToken());
  });

  it('the page after unsubscribing says it is done, names the topic, offers no button, and links to the preference page', async () => {
    await grant('newsletter');
    const response = await call({ routeKey: 'POST /unsubscribe', query: { token: unsubscribeToken() }, headers: FORM, body: 'List-Unsubscribe=One-Click' });
    expectPage(response, 200);
    expect(response.text).toContain('Monthly newsletter');
    expect(response.text).not.toMatch(/<form|<button/);
    preferencesLink(response.text);
  });

  it('the unsubscribe link opened again after unsubscribing says so and offers no button', async () => {
    await grant('newsletter');
    await call({ routeKey: 'POST /unsubscribe', query: { token: unsubscribeToken() }, headers: FORM, body: 'List-Unsubscribe=One-Click' });
    const again = await call({ routeKey: 'GET /unsubscribe', query: { token: unsubscribeToken() } });
    expectPage(again, 200);
    expect(again.text).toContain('already unsubscribed');
    expect(again.text).toContain('Monthly newsletter');
    expect(again.text).not.toMatch(/<form|<button/);
    preferencesLink(again.text);
  });

  it('the preference page lists each marketing topic with its state and unsubscribes one topic at a time', async () => {
    await grant('newsletter');
    await grant('product-news');
    const token = unsubscribeToken();
    const response = await call({ routeKey: 'GET /preferences', query: { token } });
    expectPage(response, 200);
    const forms = response.text.match(/<form method="post"[^>]*>.*?<\/form>/gs) ?? [];
    expect(forms).toHaveLength(2);
    expect(forms[1]).toContain('name="topic" value="product-news"');
    expect(await stateOf('product-news')).toBe('subscribed'); // GET changes nothing

    const done = await call({ routeKey: 'POST /unsubscribe', query: { token }, headers: FORM, body: 'topic=product-news' });
    expectPage(done, 200);
    expect(done.text).toContain('Product news');
    expect(await stateOf('product-news')).toBe('unsubscribed');
    expect(await stateOf('newsletter')).toBe('subscribed');
    const after = await call({ routeKey: 'GET /preferences', query: { token } });
    expect(after.text.match(/<form method="post"[^>]*>.*?<\/form>/gs) ?? []).toHaveLength(1);
  });

  it('refuses a forged token (400 page) and a topic that is not a marketing topic (400 page), changing nothing', async () => {
    await grant('account');
    expectPage(await call({ routeKey: 'GET /preferences', query: { token: 'forged.token' } }), 400);
    expectPage(await call({ routeKey: 'POST /unsubscribe', query: { token: unsubscribeToken() }, headers: FORM, body: 'topic=account' }), 400);
    expect(await stateOf('account')).toBe('subscribed');
  });
});

describe('GET /unsubscribe (public)', () => {
  it('shows a page with the one-click form and the "all" form, and changes nothing', async () => {
    await grant('newsletter');
    const token = unsubscribeToken();
    const response = await call({ routeKey: 'GET /unsubscribe', query: { token } });
    expectPage(response, 200);
    const forms = response.text.match(/<form method="post"[^>]*>.*?<\/form>/g) ?? [];
    expect(forms).toHaveLength(2);
    expect(forms[0]).toContain('name="List-Unsubscribe" value="One-Click"');
    expect(forms[1]).toContain('name="scope" value="all"');
    for (const form of forms) expect(form).toContain(`action="?token=${encodeURIComponent(token)}"`);
    expect(response.text).toContain('newsletter');
    expect(await stateOf('newsletter')).toBe('subscribed');
    expect(consents.commits).toHaveLength(1); // the grant only
  });

  it('answers a 400 page for a forged link', async () => {
    expectPage(await call({ routeKey: 'GET /unsubscribe', query: { token: 'forged.token' } }), 400);
  });
});

describe('POST /unsubscribe (RFC 8058 one-click, public)', () => {
  beforeEach(async () => {
    for (const topic of ['newsletter', 'product-news', 'account']) await grant(topic);
  });

  it('unsubscribes the topic at once with List-Unsubscribe=One-Click, and again answers 200', async () => {
    const request = { routeKey: 'POST /unsubscribe', query: { token: unsubscribeToken() }, headers: FORM, body: 'List-Unsubscribe=One-Click' };
    expectPage(await call(request), 200);
    expect(await stateOf('newsletter')).toBe('unsubscribed');
    expect(await stateOf('product-news')).toBe('subscribed');
    expectPage(await call(request), 200);
    expect((await consents.ledger(ADA.id)).filter((e) => e.action === 'withdrawn')).toHaveLength(1);
  });

  it('unsubscribes every marketing topic with scope=all, not service topics', async () => {
    const response = await call({ routeKey: 'POST /unsubscribe', query: { token: unsubscribeToken() }, headers: FORM, body: 'scope=all' });
    expectPage(response, 200);
    expect(response.text).toContain('Monthly newsletter, Product news');
    expect(await stateOf('newsletter')).toBe('unsubscribed');
    expect(await stateOf('product-news')).toBe('unsubscribed');
    expect(await stateOf('account')).toBe('subscribed');
  });

  it('answers a 400 page for a forged link and changes nothing', async () => {
    expectPage(await call({ routeKey: 'POST /unsubscribe', query: { token: 'forged.token' }, headers: FORM, body: 'List-Unsubscribe=One-Click' }), 400);
    expect(await stateOf('newsletter')).toBe('subscribed');
  });
});

describe('POST /customers/{id}/emails', () => {
  beforeEach(async () => {
    await grant('newsletter');
  });

  it('lets a marketer send through the gate: 202 sent', async () => {
    const response = await call({ routeKey: 'POST /customers/{id}/emails', pathParameters: { id: ADA.id }, body: { topic: 'newsletter', subject: 'Hi', text: 'News' }, claims: MARKETER });
    expect(response.statusCode).toBe(202);
    expect(response.json).toEqual({ outcome: 'sent', messageId: 'msg-1' });
    expect(sender.sent[0]?.headers?.['List-Unsubscribe']).toMatch(new RegExp(`^<${BASE}/unsubscribe\\?token=`));
  });

  it('answers 202 blocked with the reason when the gate refuses', async () => {
    const response = await call({ routeKey: 'POST /customers/{id}/emails', pathParameters: { id: BOB.id }, body: { topic: 'newsletter', subject: 'Hi', text: 'News' }, claims: MARKETER });
    expect(response.statusCode).toBe(202);
    expect(response.json).toEqual({ outcome: 'blocked', reason: 'no_consent' });
    expect(sender.sent).toEqual([]);
  });

  it('refuses an agent (403) and an anonymous caller (401) before anything is sent', async () => {
    const body = { topic: 'newsletter', subject: 'Hi', text: 'News' };
    expectProblem(await call({ routeKey: 'POST /customers/{id}/emails', pathParameters: { id: ADA.id }, body, claims: AGENT }), 403);
    expectProblem(await call({ routeKey: 'POST /customers/{id}/emails', pathParameters: { id: ADA.id }, body }), 401);
    expect(sender.sent).toEqual([]);
  });

  it('answers 400 naming the subject when it holds CR, LF or another control character, and sends nothing', async () => {
    for (const subject of ['Hi\r\nBcc: victim@example.net', 'Hi\nthere', 'Hi\u0000', 'Tab\there', 'Hi\u2028there']) {
      const response = await call({ routeKey: 'POST /customers/{id}/emails', pathParameters: { id: ADA.id }, body: { topic: 'newsletter', subject, text: 'News' }, claims: MARKETER });
      expectProblem(response, 400);
      expect(response.json.errors.map((e: { path: string }) => e.path)).toEqual(['subject']);
    }
    expect(sender.sent).toEqual([]);
  });

  it('fills subject placeholders from the profile without letting stored CR/LF split a header', async () => {
    consents.addCustomer({ ...ADA, firstName: 'Ada\r\nBcc: victim@example.net', lastName: 'Love\nlace' });
    const response = await call({ routeKey: 'POST /customers/{id}/emails', pathParameters: { id: ADA.id }, body: { topic: 'newsletter', subject: 'Hi {{firstName}} {{lastName}}', text: 'Dear {{firstName}}' }, claims: MARKETER });
    expect(response.json.outcome).toBe('sent');
    expect(sender.sent[0]?.subject).toBe('Hi Ada Bcc: victim@example.net Love lace');
  });

  it('answers 422 for a service topic', async () => {
    expectProblem(await call({ routeKey: 'POST /customers/{id}/emails', pathParameters: { id: ADA.id }, body: { topic: 'account', subject: 'Hi', text: 'x' }, claims: MARKETER }), 422);
  });
});

describe('/me/consents (customer self-service)', () => {
  it("answers the signed-in customer's own topics, taken from custom:customerId", async () => {
    await grant('product-news');
    await grant('newsletter', BOB.id);
    const response = await call({ routeKey: 'GET /me/consents', claims: ADA_SELF });
    expect(response.statusCode).toBe(200);
    expect(response.json).toEqual({ topics: { newsletter: false, 'product-news': true, account: false } });
  });

  it('takes back what GET answers as is, and a round trip changes nothing (no second opt-in mail, no ledger entry)', async () => {
    await grant('product-news');
    await call({ routeKey: 'PUT /me/consents', claims: ADA_SELF, body: { topics: { newsletter: true } } });
    const before = await call({ routeKey: 'GET /me/consents', claims: ADA_SELF });
    expect(before.json).toEqual({ topics: { newsletter: true, 'product-news': true, account: false } });
    const ledger = await consents.ledger(ADA.id);
    await deliverOptInMails();
    const mails = sender.sent.length;
    const events = consents.events.length;

    const put = await call({ routeKey: 'PUT /me/consents', claims: ADA_SELF, body: before.json });
    expect(put.statusCode).toBe(200);
    expect(put.json).toEqual(before.json);
    expect(await consents.ledger(ADA.id)).toEqual(ledger);
    await deliverOptInMails();
    expect(sender.sent).toHaveLength(mails);
    expect(consents.events).toHaveLength(events);
  });

  it('starts a double opt-in for true and withdraws for false, only for the signed-in customer', async () => {
    await grant('product-news');
    const response = await call({ routeKey: 'PUT /me/consents', claims: ADA_SELF, body: { topics: { newsletter: true, 'product-news': false } } });
    expect(response.statusCode).toBe(200);
    expect(response.json).toEqual({ topics: { newsletter: true, 'product-news': false, account: false } });
    expect(await stateOf('newsletter')).toBe('pending');
    expect(await stateOf('product-news')).toBe('unsubscribed');
    await deliverOptInMails();
    expect(sender.sent.map((m) => m.to)).toEqual([[ADA.email]]);
    expect(await consents.ledger(BOB.id)).toEqual([]);
  });

  it('offers no way to name another customer', async () => {
    const response = await call({ routeKey: 'PUT /me/consents', claims: ADA_SELF, body: { customerId: BOB.id, topics: { newsletter: true } } });
    expectProblem(response, 400);
    expect(response.json.errors).toEqual([{ path: 'customerId', message: 'is not a known field' }]);
    expect(await consents.ledger(BOB.id)).toEqual([]);
  });

  it("refuses staff (403), a customer token without a customer id (403) and the staff route to anyone's consents (403)", async () => {
    expectProblem(await call({ routeKey: 'GET /me/consents', claims: AGENT }), 403);
    expectProblem(await call({ routeKey: 'GET /me/consents', claims: claimsFor(['customer'], { sub: 'no-profile' }) }), 403);
    expectProblem(await call({ routeKey: 'GET /customers/{id}/consents', pathParameters: { id: BOB.id }, claims: ADA_SELF }), 403);
    expectProblem(await call({ routeKey: 'GET /me/consents' }), 401);
  });
});

describe('topics', () => {
  it('lets an admin replace the topics, and answers 400 for a body that is not an array', async () => {
    const next = [{ id: 'offers', name: 'Offers', purpose: 'marketing' }];
    const response = await call({ routeKey: 'PUT /topics', body: next, claims: ADMIN });
    expect(response.statusCode).toBe(200);
    expect(response.json).toEqual([{ id: 'offers', name: 'Offers', description: '', purpose: 'marketing' }]);
    expect(await consents.topics()).toEqual(response.json);

    expectProblem(await call({ routeKey: 'PUT /topics', body: { id: 'offers', name: 'Offers', purpose: 'marketing' }, claims: ADMIN }), 400);
    expect(await consents.topics()).toEqual(response.json);
  });

  it('answers 400 for a topic name with a control character (it becomes part of a subject)', async () => {
    const invalid = await call({ routeKey: 'PUT /topics', body: [{ id: 'offers', name: 'Offers\r\nBcc: victim@example.net', purpose: 'marketing' }], claims: ADMIN });
    expectProblem(invalid, 400);
    expect(invalid.json.errors.map((e: { path: string }) => e.path)).toEqual(['0.name']);
  });

  it('refuses a marketer (403) and answers 400 with paths for invalid topics', async () => {
    expectProblem(await call({ routeKey: 'PUT /topics', body: [], claims: MARKETER }), 403);
    const invalid = await call({ routeKey: 'PUT /topics', body: [{ id: 'Bad Id', name: '', purpose: 'sales' }], claims: ADMIN });
    expectProblem(invalid, 400);
    expect(invalid.json.errors.map((e: { path: string }) => e.path).sort()).toEqual(['0.id', '0.name', '0.purpose']);
  });

  it('lets any signed-in user read the topics', async () => {
    const response = await call({ routeKey: 'GET /topics', claims: ADA_SELF });
    expect(response.statusCode).toBe(200);
    expect(response.json.map((t: Topic) => t.id)).toEqual(['newsletter', 'product-news', 'account']);
  });
});

describe('POST /customers/{id}/consents', () => {
  it('answers 202 pending for a request, and its ConsentRequested mails a link to this API', async () => {
    const response = await call({ routeKey: 'POST /customers/{id}/consents', pathParameters: { id: ADA.id }, body: { topic: 'newsletter', action: 'request' }, claims: AGENT });
    expect(response.statusCode).toBe(202);
    expect(response.json).toEqual({ topic: 'newsletter', state: 'pending', confirmation: 'queued' });
    expect(sender.sent).toEqual([]); // the ConsentRequested consumer sends it
    await deliverOptInMails();
    expect(sender.sent[0]?.text).toContain(`${BASE}/optin/confirm?token=`);
  });

  it('answers 400 naming legalBasis and proof when a grant lacks them', async () => {
    const response = await call({ routeKey: 'POST /customers/{id}/consents', pathParameters: { id: ADA.id }, body: { topic: 'newsletter', action: 'grant' }, claims: ADMIN });
    expectProblem(response, 400);
    expect(response.json.errors.map((e: { path: string }) => e.path).sort()).toEqual(['legalBasis', 'proof']);
    expect(consents.commits).toEqual([]);
  });

  it('answers 403 for a grant by a non-admin and 422 for an unknown topic', async () => {
    expectProblem(
      await call({ routeKey: 'POST /customers/{id}/consents', pathParameters: { id: ADA.id }, body: { topic: 'newsletter', action: 'grant', legalBasis: 'consent', proof: 'p' }, claims: MARKETER }),
      403,
    );
    expectProblem(await call({ routeKey: 'POST /customers/{id}/consents', pathParameters: { id: ADA.id }, body: { topic: 'nope', action: 'withdraw' }, claims: AGENT }), 422);
  });

  it('answers the state per topic and the ledger to staff', async () => {
    await grant('newsletter');
    const response = await call({ routeKey: 'GET /customers/{id}/consents', pathParameters: { id: ADA.id }, claims: MARKETER });
    expect(response.statusCode).toBe(200);
    expect(response.json.topics[0]).toEqual({ topic: 'newsletter', state: 'subscribed', updatedAt: '2025-01-15T09:00:00.000Z' });
    expect(response.json.ledger).toMatchObject([{ action: 'granted', legalBasis: 'consent', proof: 'form-1' }]);
  });
});

describe('suppressions (admin)', () => {
  it('lists suppressions and lifts one (204), then answers 404', async () => {
    await consents.suppress({ email: 'ada@example.com', reason: 'bounce', at: '2025-01-15T09:00:00.000Z', detail: 'Permanent' }, [], { correlationId: 'x' });
    const list = await call({ routeKey: 'GET /suppressions', claims: ADMIN });
    expect(list.json).toEqual({ items: [{ email: 'ada@example.com', reason: 'bounce', at: '2025-01-15T09:00:00.000Z', detail: 'Permanent' }], nextCursor: null });
    expectProblem(await call({ routeKey: 'GET /suppressions', claims: MARKETER }), 403);
    const lift = { routeKey: 'DELETE /suppressions/{email}', pathParameters: { email: 'ADA@example.com' }, claims: ADMIN };
    expect((await call(lift)).statusCode).toBe(204);
    expectProblem(await call(lift), 404);
  });
});

describe('unsubscribes attributed to a campaign (issue 10)', () => {
  const campaignToken = (campaignId: string) => tokens.sign({ purpose: 'unsubscribe', customerId: ADA.id, topic: 'newsletter', id: 'u-2', campaignId });
  const withdrawals = () => consents.events.filter((e) => e.definition.detailType === 'ConsentWithdrawn').map((e) => e.data);

  it("carries the campaign of the link's token on ConsentWithdrawn, for every topic it withdraws", async () => {
    await grant('newsletter');
    await grant('product-news');
    const response = await call({ routeKey: 'POST /unsubscribe', query: { token: campaignToken('camp-1') }, headers: FORM, body: 'scope=all' });
    expectPage(response, 200);
    expect(withdrawals()).toEqual([
      { customerId: ADA.id, topic: 'newsletter', source: 'unsubscribe_link', campaignId: 'camp-1' },
      { customerId: ADA.id, topic: 'product-news', source: 'unsubscribe_link', campaignId: 'camp-1' },
    ]);
  });

  it('names no campaign for a link without one, nor for any other way of withdrawing', async () => {
    await grant('newsletter');
    await call({ routeKey: 'POST /unsubscribe', query: { token: unsubscribeToken() }, headers: FORM, body: 'List-Unsubscribe=One-Click' });
    await grant('product-news');
    await call({ routeKey: 'POST /customers/{id}/consents', pathParameters: { id: ADA.id }, body: { topic: 'product-news', action: 'withdraw', source: 'api' }, claims: AGENT });
    expect(withdrawals()).toHaveLength(2);
    for (const data of withdrawals()) expect(data).not.toHaveProperty('campaignId');
  });

  it('refuses a token whose campaign was changed after signing', async () => {
    await grant('newsletter');
    const [body, signature] = campaignToken('camp-1').split('.');
    const payload = JSON.parse(Buffer.from(body!, 'base64url').toString());
    const forged = `${Buffer.from(JSON.stringify({ ...payload, campaignId: 'camp-2' })).toString('base64url')}.${signature}`;
    expectPage(await call({ routeKey: 'POST /unsubscribe', query: { token: forged }, headers: FORM, body: 'List-Unsubscribe=One-Click' }), 400);
    expect(withdrawals()).toEqual([]);
  });
});
