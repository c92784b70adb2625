import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Recipient } from '../../domain/consent/consent.repository.ts';
import { ConsentCommand, stateOf as foldLedger, type Topic } from '../../domain/consent/consent.schema.ts';
import { type ConsentUseCases, consentUseCases, OPTIN_TTL_SECONDS } from '../../domain/consent/consent.use-cases.ts';
import { emailGate } from '../../domain/consent/email-gate.ts';
import { type OptInMail, optInMail } from '../../domain/consent/optin-mail.use-cases.ts';
import type { TokenPayload, TokenSigner } from '../../domain/consent/tokens.ts';
import {
  ConcurrentUpdateError,
  CustomerNotFoundError,
  ForbiddenActionError,
  NotFoundError,
  TokenExpiredError,
  UnknownTopicError,
  UnprocessableError,
  ValidationError,
} from '../../domain/shared/errors.ts';
import { tokenSigner } from '../../functions/shared/hmac-tokens.ts';
import { type FakeConsentRepository, type FakeEmailSender, fakeConsentRepository, fakeEmailSender } from '../support/consent-fakes.ts';
import { type FakeClock, fakeClock, sequentialIds } from '../support/fakes.ts';
import { fakeOnceGuard } from '../support/case-fakes.ts';

// The consent use cases against the in-memory repository, the recording sender, the real HMAC
// tokens, a fake clock and sequential ids.

const BASE = 'https://api.example.test';
const T0 = '2025-01-15T09:00:00.000Z';
const ctx = { correlationId: 'corr-1' };
const TOPICS: Topic[] = [
  { id: 'newsletter', name: 'Monthly newsletter', description: '', purpose: 'marketing' },
  { id: 'product-news', name: 'Product news', description: '', purpose: 'marketing' },
  { id: 'account', name: 'Account notices', description: '', purpose: 'service' },
];
const ADA: Recipient = { id: 'c-ada', email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' };
const ADMIN = { roles: ['admin'] };

let clock: FakeClock;
let consents: FakeConsentRepository;
let sender: FakeEmailSender;
let tokens: TokenSigner;
let consent: ConsentUseCases;
let mail: OptInMail;
let mailed: number;

beforeEach(() => {
  clock = fakeClock(T0);
  const ids = sequentialIds('id');
  consents = fakeConsentRepository({ topics: TOPICS, customers: [ADA] });
  sender = fakeEmailSender();
  tokens = tokenSigner('unit-test-secret-0123456789abcdefghij');
  const gate = emailGate({ consents, sender, clock, ids });
  consent = consentUseCases({ consents, gate, tokens, clock, ids });
  mail = optInMail({ consents, gate, tokens, clock, once: fakeOnceGuard() });
  mailed = 0;
});

/** What the outbox and the ConsentRequested rule do: each new request's mail goes out. */
async function deliverOptInMails() {
  const requests = consents.events.filter((e) => e.definition.detailType === 'ConsentRequested');
  for (const event of requests.slice(mailed)) await mail.send(`evt-${++mailed}`, event.data as Parameters<OptInMail['send']>[1], ctx);
}

const command = (body: Record<string, unknown>) => ConsentCommand.parse(body);
async function request(topic = 'newsletter', extra: Record<string, unknown> = {}) {
  const result = await consent.command(ADA.id, command({ topic, action: 'request', ...extra }), { roles: ['agent'] }, BASE, ctx);
  await deliverOptInMails();
  return result;
}
const grant = (topic: string, extra: Record<string, unknown> = {}) =>
  consent.command(ADA.id, command({ topic, action: 'grant', legalBasis: 'consent', proof: 'paper-form-7', ...extra }), ADMIN, BASE, ctx);
const withdraw = (topic: string) => consent.command(ADA.id, command({ topic, action: 'withdraw' }), { roles: ['agent'] }, BASE, ctx);

const stateOf = async (topic: string, customerId = ADA.id) => (await consents.states(customerId)).find((s) => s.topic === topic)?.state ?? 'none';
const actions = async (topic?: string) => (await consents.ledger(ADA.id)).filter((e) => topic === undefined || e.topic === topic).map((e) => e.action);
const eventTypes = () => consents.events.map((e) => e.definition.detailType);
const eventsOf = (detailType: string) => consents.events.filter((e) => e.definition.detailType === detailType).map((e) => e.data);

/** The `token` of the first `path` link in a text. */
function tokenIn(text: string, path: string): string {
  const match = new RegExp(`${BASE}${path}\\?token=([^\\s"<>]+)`).exec(text);
  if (!match?.[1]) throw new Error(`no ${path} link in: ${text}`);
  return decodeURIComponent(match[1]);
}

async function requestedToken(topic = 'newsletter') {
  await request(topic);
  const mail = sender.sent.at(-1);
  if (!mail) throw new Error('no confirmation email was sent');
  return tokenIn(mail.text, '/optin/confirm');
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(outcome instanceof Error)) throw new Error('expected a rejection');
  return outcome;
}

describe('request (double opt-in)', () => {
  it('sets the topic pending, records where it came from and emails one confirmation link', async () => {
    const result = await request('newsletter', { source: 'form', ip: '203.0.113.7', userAgent: 'Mozilla/5.0', textVersion: 'signup-v3' });

    expect(result).toEqual({ state: 'pending', confirmation: 'queued' });
    expect(await stateOf('newsletter')).toBe('pending');
    const [entry, ...more] = await consents.ledger(ADA.id);
    expect(more).toEqual([]);
    expect(entry).toEqual({
      id: expect.any(String),
      customerId: ADA.id,
      topic: 'newsletter',
      action: 'requested',
      source: 'form',
      at: T0,
      ip: '203.0.113.7',
      userAgent: 'Mozilla/5.0',
      textVersion: 'signup-v3',
      legalBasis: null,
      proof: expect.any(String),
    });
    expect(sender.sent).toHaveLength(1);
    expect(sender.sent[0]).toMatchObject({ kind: 'service', to: [ADA.email], subject: expect.stringContaining('Monthly newsletter') });
    expect(eventsOf('ConsentRequested')).toEqual([{ customerId: ADA.id, topic: 'newsletter', source: 'form', requestId: entry!.proof, linkBase: BASE }]);
  });

  it('signs a link whose token names the customer, the topic and the ledger proof, and expires in 48 hours', async () => {
    const token = await requestedToken();
    const [entry] = await consents.ledger(ADA.id);
    expect(entry?.proof).toEqual(expect.any(String));
    expect(await tokens.verify(token, clock.now())).toEqual({
      purpose: 'optin',
      customerId: ADA.id,
      topic: 'newsletter',
      id: entry?.proof ?? '',
      exp: Date.parse(T0) / 1000 + OPTIN_TTL_SECONDS,
    } satisfies TokenPayload);
    expect(OPTIN_TTL_SECONDS).toBe(48 * 3600);
    expect(sender.sent[0]?.html).toContain(`href="${BASE}/optin/confirm?token=`);
  });

  it('sends nothing and records nothing new when the topic is already subscribed', async () => {
    await grant('newsletter');
    const ledgerBefore = await actions();
    expect(await request('newsletter')).toEqual({ state: 'subscribed', confirmation: 'not_needed' });
    expect(sender.sent).toEqual([]);
    expect(await actions()).toEqual(ledgerBefore);
  });

  it('stays pending, but sends nothing, for a suppressed address', async () => {
    await consents.suppress({ email: ADA.email, reason: 'bounce', at: T0, detail: null }, [], ctx);
    expect(await request('newsletter')).toEqual({ state: 'pending', confirmation: 'queued' });
    expect(sender.sent).toEqual([]);
    expect(consents.deliveries.map((d) => d.reason)).toEqual(['suppressed']);
  });

  it('refuses an unknown topic, an unknown and an erased customer, writing nothing', async () => {
    expect(await rejection(request('nope'))).toBeInstanceOf(UnknownTopicError);
    expect(await rejection(consent.command('c-ghost', command({ topic: 'newsletter', action: 'request' }), ADMIN, BASE, ctx))).toBeInstanceOf(CustomerNotFoundError);
    consents.markErased(ADA.id);
    expect(await rejection(request('newsletter'))).toBeInstanceOf(CustomerNotFoundError);
    expect(consents.commits).toEqual([]);
    expect(sender.sent).toEqual([]);
  });
});

describe('confirm', () => {
  it('subscribes, with the token id as proof, and says which topic', async () => {
    const token = await requestedToken();
    const result = await consent.confirm(token, ctx);
    expect(result).toEqual({ topic: TOPICS[0], state: 'subscribed', preferencesToken: expect.any(String) });
    expect(await tokens.verify(result.preferencesToken, clock.now())).toMatchObject({ purpose: 'unsubscribe', customerId: ADA.id, topic: 'newsletter' });
    expect(await stateOf('newsletter')).toBe('subscribed');
    const [requested, confirmed] = await consents.ledger(ADA.id);
    expect(confirmed).toMatchObject({ action: 'confirmed', source: 'form', proof: requested?.proof });
    expect(eventsOf('ConsentConfirmed')).toEqual([{ customerId: ADA.id, topic: 'newsletter', source: 'form' }]);
  });

  it('is fine twice: one confirmed entry, one event', async () => {
    const token = await requestedToken();
    await consent.confirm(token, ctx);
    expect(await consent.confirm(token, ctx)).toMatchObject({ state: 'subscribed' });
    expect(await actions()).toEqual(['requested', 'confirmed']);
    expect(eventsOf('ConsentConfirmed')).toHaveLength(1);
  });

  it('still confirms in the last second of the 48 hours', async () => {
    const token = await requestedToken();
    clock.advance(OPTIN_TTL_SECONDS * 1000);
    expect((await consent.confirm(token, ctx)).state).toBe('subscribed');
  });

  it('refuses an expired link with TokenExpiredError (gone) and leaves the topic pending', async () => {
    const token = await requestedToken();
    clock.advance(OPTIN_TTL_SECONDS * 1000 + 1000);
    const error = await rejection(consent.confirm(token, ctx));
    expect(error).toBeInstanceOf(TokenExpiredError);
    expect((error as TokenExpiredError).kind).toBe('gone');
    expect(await stateOf('newsletter')).toBe('pending');
  });

  it('refuses a tampered link, and an unsubscribe token, with ValidationError', async () => {
    const token = await requestedToken();
    const [body = '', signature = ''] = token.split('.');
    const forgedBody = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), topic: 'product-news' })).toString('base64url');
    expect(await rejection(consent.confirm(`${forgedBody}.${signature}`, ctx))).toBeInstanceOf(ValidationError);
    expect(await rejection(consent.confirm('garbage', ctx))).toBeInstanceOf(ValidationError);
    const unsubscribe = await tokens.sign({ purpose: 'unsubscribe', customerId: ADA.id, topic: 'newsletter', id: 'u-1' });
    expect(await rejection(consent.confirm(unsubscribe, ctx))).toBeInstanceOf(ValidationError);
    expect(await stateOf('newsletter')).toBe('pending');
    expect(await stateOf('product-news')).toBe('none');
  });

  it('refuses an old link once the customer withdrew (gone), so a scanner or second click cannot re-subscribe', async () => {
    const token = await requestedToken();
    await consent.confirm(token, ctx);
    await withdraw('newsletter');
    const error = await rejection(consent.confirm(token, ctx));
    expect(error).toBeInstanceOf(TokenExpiredError);
    expect(await stateOf('newsletter')).toBe('unsubscribed');
    expect(await actions()).toEqual(['requested', 'confirmed', 'withdrawn']);
  });

  it('refuses a link of an erased customer', async () => {
    const token = await requestedToken();
    consents.markErased(ADA.id);
    expect(await rejection(consent.confirm(token, ctx))).toBeInstanceOf(CustomerNotFoundError);
  });
});

describe('grant and withdraw', () => {
  it.each([['agent'], ['manager'], ['marketer'], []])('refuses a grant by %s with ForbiddenActionError', async (...roles) => {
    const error = await rejection(consent.command(ADA.id, command({ topic: 'newsletter', action: 'grant', legalBasis: 'consent', proof: 'p' }), { roles }, BASE, ctx));
    expect(error).toBeInstanceOf(ForbiddenActionError);
    expect(consents.commits).toEqual([]);
  });

  it('lets an admin record consent obtained elsewhere, with legal basis and proof', async () => {
    expect(await grant('newsletter', { legalBasis: 'contract', ip: '198.51.100.1' })).toEqual({ state: 'subscribed' });
    expect(await stateOf('newsletter')).toBe('subscribed');
    expect((await consents.ledger(ADA.id))[0]).toMatchObject({ action: 'granted', source: 'import', legalBasis: 'contract', proof: 'paper-form-7', ip: '198.51.100.1' });
    expect(eventsOf('ConsentGranted')).toEqual([{ customerId: ADA.id, topic: 'newsletter', source: 'import', legalBasis: 'contract' }]);
    expect(sender.sent).toEqual([]); // no confirmation email for recorded consent
  });

  it('withdraws a subscribed topic, and a second withdraw changes nothing', async () => {
    await grant('newsletter');
    expect(await withdraw('newsletter')).toEqual({ state: 'unsubscribed' });
    expect(await withdraw('newsletter')).toEqual({ state: 'unsubscribed' });
    expect(await actions('newsletter')).toEqual(['granted', 'withdrawn']);
    expect(eventsOf('ConsentWithdrawn')).toEqual([{ customerId: ADA.id, topic: 'newsletter', source: 'api' }]);
  });

  it('withdraws a pending request', async () => {
    await request('newsletter');
    expect(await withdraw('newsletter')).toEqual({ state: 'unsubscribed' });
  });

  it.each(['request', 'withdraw'] as const)('refuses %s for an unknown topic with UnknownTopicError (unprocessable)', async (action) => {
    const error = await rejection(consent.command(ADA.id, command({ topic: 'no-such-topic', action }), ADMIN, BASE, ctx));
    expect(error).toBeInstanceOf(UnknownTopicError);
    expect((error as UnknownTopicError).kind).toBe('unprocessable');
  });

  it('refuses a grant for an unknown topic too', async () => {
    expect(await rejection(grant('no-such-topic'))).toBeInstanceOf(UnknownTopicError);
  });
});

describe('consents', () => {
  it('lists every defined topic with its state (none when never touched) and the ledger', async () => {
    await grant('product-news');
    const { topics, ledger } = await consent.consents(ADA.id);
    expect(topics).toEqual([
      { topic: 'newsletter', state: 'none', updatedAt: null },
      { topic: 'product-news', state: 'subscribed', updatedAt: T0 },
      { topic: 'account', state: 'none', updatedAt: null },
    ]);
    expect(ledger.map((e) => e.action)).toEqual(['granted']);
  });

  it('refuses an unknown customer', async () => {
    expect(await rejection(consent.consents('c-ghost'))).toBeInstanceOf(CustomerNotFoundError);
  });
});

describe('unsubscribe', () => {
  async function unsubscribeToken(topic = 'newsletter') {
    await consent.sendMarketing(ADA.id, { topic, subject: 'News', text: 'Body' }, BASE, ctx);
    const mail = sender.sent.at(-1);
    if (!mail) throw new Error('the marketing email was not sent');
    return tokenIn(mail.text, '/unsubscribe');
  }

  beforeEach(async () => {
    for (const topic of ['newsletter', 'product-news', 'account']) await grant(topic);
  });

  it('withdraws the one topic the link names, from the unsubscribe link', async () => {
    const token = await unsubscribeToken('newsletter');
    expect((await consent.unsubscribe(token, { all: false }, ctx)).topics.map((t) => t.id)).toEqual(['newsletter']);
    expect(await stateOf('newsletter')).toBe('unsubscribed');
    expect(await stateOf('product-news')).toBe('subscribed');
    expect((await consents.ledger(ADA.id)).at(-1)).toMatchObject({ topic: 'newsletter', action: 'withdrawn', source: 'unsubscribe_link' });
  });

  it('withdraws every marketing topic with "all", and leaves service topics alone', async () => {
    const token = await unsubscribeToken('newsletter');
    expect((await consent.unsubscribe(token, { all: true }, ctx)).topics.map((t) => t.id)).toEqual(['newsletter', 'product-news']);
    expect(await stateOf('newsletter')).toBe('unsubscribed');
    expect(await stateOf('product-news')).toBe('unsubscribed');
    expect(await stateOf('account')).toBe('subscribed');
  });

  it('is idempotent', async () => {
    const token = await unsubscribeToken('newsletter');
    await consent.unsubscribe(token, { all: true }, ctx);
    const ledger = await actions();
    await consent.unsubscribe(token, { all: false }, ctx);
    await consent.unsubscribe(token, { all: true }, ctx);
    expect(await actions()).toEqual(ledger);
    expect(eventsOf('ConsentWithdrawn')).toHaveLength(2);
  });

  it('refuses a forged token and an opt-in token with ValidationError', async () => {
    const optin = await tokens.sign({ purpose: 'optin', customerId: ADA.id, topic: 'newsletter', id: 'o-1' });
    expect(await rejection(consent.unsubscribe(optin, { all: false }, ctx))).toBeInstanceOf(ValidationError);
    expect(await rejection(consent.unsubscribe('forged.token', { all: false }, ctx))).toBeInstanceOf(ValidationError);
    expect(await rejection(consent.describeUnsubscribe(optin))).toBeInstanceOf(ValidationError);
    expect(await stateOf('newsletter')).toBe('subscribed');
  });

  it('describes the topic of a link without changing anything', async () => {
    const token = await unsubscribeToken('product-news');
    expect(await consent.describeUnsubscribe(token)).toEqual({ topic: TOPICS.find((t) => t.id === 'product-news'), unsubscribed: false });
    expect(await stateOf('product-news')).toBe('subscribed');
  });

  it('follows a merge: the link of a merged-away customer withdraws the topic on the customer it became', async () => {
    const token = await unsubscribeToken('newsletter');
    const GRACE: Recipient = { id: 'c-grace', email: 'grace@example.com', firstName: 'Grace', lastName: null };
    consents.addCustomer(GRACE);
    await consent.command(GRACE.id, command({ topic: 'newsletter', action: 'grant', legalBasis: 'consent', proof: 'form' }), ADMIN, BASE, ctx);
    consents.markMerged(ADA.id, GRACE.id);
    expect((await consent.unsubscribe(token, { all: false }, ctx)).topics.map((t) => t.id)).toEqual(['newsletter']);
    expect(await stateOf('newsletter', GRACE.id)).toBe('unsubscribed');
    expect((await consents.ledger(GRACE.id)).at(-1)).toMatchObject({ action: 'withdrawn', source: 'unsubscribe_link' });
  });

  it('is done for an erased customer (or one being erased): no mail goes there any more, nothing is recorded', async () => {
    const token = await unsubscribeToken('newsletter');
    const ledger = await actions();
    consents.markErased(ADA.id);
    expect((await consent.unsubscribe(token, { all: true }, ctx)).topics.map((t) => t.id)).toEqual(['newsletter', 'product-news']);
    expect(await actions()).toEqual(ledger);
  });

  it('refuses a link for a customer that does not exist', async () => {
    const token = await tokens.sign({ purpose: 'unsubscribe', customerId: 'c-ghost', topic: 'newsletter', id: 'u-1' });
    expect(await rejection(consent.unsubscribe(token, { all: false }, ctx))).toBeInstanceOf(NotFoundError);
  });
});

describe('preferences (self-service)', () => {
  it('starts a double opt-in for true: pending, not subscribed, one email', async () => {
    await consent.preferences(ADA.id, { newsletter: true }, BASE, ctx);
    expect(await stateOf('newsletter')).toBe('pending');
    await deliverOptInMails();
    expect(sender.sent).toHaveLength(1);
    expect((await consents.ledger(ADA.id))[0]).toMatchObject({ action: 'requested', source: 'preference_center' });
  });

  it('withdraws for false', async () => {
    await grant('newsletter');
    await consent.preferences(ADA.id, { newsletter: false }, BASE, ctx);
    expect(await stateOf('newsletter')).toBe('unsubscribed');
    expect((await consents.ledger(ADA.id)).at(-1)).toMatchObject({ action: 'withdrawn', source: 'preference_center' });
  });

  it('checks every topic before changing any', async () => {
    await grant('newsletter');
    expect(await rejection(consent.preferences(ADA.id, { newsletter: false, 'no-such-topic': true }, BASE, ctx))).toBeInstanceOf(UnknownTopicError);
    expect(await stateOf('newsletter')).toBe('subscribed');
  });
});

describe('sendMarketing', () => {
  beforeEach(async () => {
    await grant('newsletter');
  });

  it('sends with List-Unsubscribe and List-Unsubscribe-Post, and the text ends with the same URL', async () => {
    const outcome = await consent.sendMarketing(ADA.id, { topic: 'newsletter', subject: 'Hi {{firstName}}', text: 'Dear {{firstName}} {{lastName}}', html: '<p>Dear {{firstName}}</p>' }, BASE, ctx);
    expect(outcome).toEqual({ outcome: 'sent', messageId: 'msg-1' });
    const [mail] = sender.sent;
    const url = /^<(.+)>$/.exec(mail?.headers?.['List-Unsubscribe'] ?? '')?.[1];
    expect(url).toMatch(new RegExp(`^${BASE}/unsubscribe\\?token=`));
    expect(mail?.headers?.['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect(mail?.text.endsWith(url!)).toBe(true);
    expect(mail?.text.startsWith('Dear Ada Lovelace')).toBe(true);
    expect(mail?.subject).toBe('Hi Ada');
    expect(mail?.html).toContain(`href="${url!.replaceAll('&', '&amp;')}"`);
    expect(mail?.kind).toBe('marketing');
    const token = new URL(url!).searchParams.get('token')!;
    expect(await tokens.verify(token, clock.now())).toEqual({ purpose: 'unsubscribe', customerId: ADA.id, topic: 'newsletter', id: expect.any(String) });
  });

  it('HTML-escapes personal values in the HTML part only', async () => {
    consents.addCustomer({ ...ADA, firstName: 'Fan <b>' });
    await consent.sendMarketing(ADA.id, { topic: 'newsletter', subject: 'x', text: 'Dear {{firstName}}', html: '<p>Dear {{firstName}}</p>' }, BASE, ctx);
    expect(sender.sent[0]?.html).toContain('<p>Dear Fan &lt;b&gt;</p>');
    expect(sender.sent[0]?.text).toContain('Dear Fan <b>');
  });

  it('refuses a service-purpose topic with UnprocessableError and sends nothing', async () => {
    await grant('account');
    const error = await rejection(consent.sendMarketing(ADA.id, { topic: 'account', subject: 's', text: 't' }, BASE, ctx));
    expect(error).toBeInstanceOf(UnprocessableError);
    expect(sender.sent).toEqual([]);
  });

  it('is blocked, and recorded, without consent', async () => {
    expect(await consent.sendMarketing(ADA.id, { topic: 'product-news', subject: 's', text: 't' }, BASE, ctx)).toEqual({ outcome: 'blocked', reason: 'no_consent' });
    expect(sender.sent).toEqual([]);
    expect(consents.deliveries).toMatchObject([{ outcome: 'blocked', reason: 'no_consent', topic: 'product-news' }]);
  });

  it('is blocked as erased for an erased customer, and refused for one that never existed', async () => {
    consents.markErased(ADA.id);
    expect(await consent.sendMarketing(ADA.id, { topic: 'newsletter', subject: 's', text: 't' }, BASE, ctx)).toEqual({ outcome: 'blocked', reason: 'erased' });
    expect(await rejection(consent.sendMarketing('c-ghost', { topic: 'newsletter', subject: 's', text: 't' }, BASE, ctx))).toBeInstanceOf(CustomerNotFoundError);
    expect(sender.sent).toEqual([]);
  });
});

describe('SES feedback', () => {
  it('suppresses a hard-bounced address for all email, with EmailBounced and EmailSuppressed', async () => {
    await consent.bounce(['Ada@Example.com'], 'Permanent', ctx);
    expect(await consents.suppression('ada@example.com')).toEqual({ email: 'ada@example.com', reason: 'bounce', at: T0, detail: 'Permanent' });
    expect(consents.events.map((e) => [e.definition.detailType, e.data])).toEqual([
      ['EmailBounced', { bounceType: 'Permanent', customerId: ADA.id, suppressed: true }],
      ['EmailSuppressed', { reason: 'bounce', customerId: ADA.id }],
    ]);
    await request('newsletter');
    expect(sender.sent).toEqual([]); // service mail too
    expect(consents.deliveries.map((d) => d.reason)).toEqual(['suppressed']);
  });

  it('does not suppress on a transient bounce, but records it', async () => {
    await consent.bounce([ADA.email], 'Transient', ctx);
    expect(await consents.suppression(ADA.email)).toBeUndefined();
    expect(eventsOf('EmailBounced')).toEqual([{ bounceType: 'Transient', customerId: ADA.id, suppressed: false }]);
    expect(eventsOf('EmailSuppressed')).toEqual([]);
    expect(consents.deliveries).toMatchObject([{ customerId: ADA.id, outcome: 'blocked', reason: 'bounce:Transient' }]);
  });

  it('suppresses an address that belongs to no customer', async () => {
    await consent.bounce(['stranger@example.com'], 'Permanent', ctx);
    expect(await consents.suppression('stranger@example.com')).toMatchObject({ reason: 'bounce' });
    expect(eventsOf('EmailSuppressed')).toEqual([{ reason: 'bounce', customerId: null }]);
  });

  it('suppresses on a complaint about a customer whose erasure began meanwhile, and records nothing about them', async () => {
    await grant('newsletter');
    const ledger = await actions();
    consents.beforeNextAppend(() => consents.markErased(ADA.id));
    await consent.complaint([ADA.email], ctx);
    expect(await consents.suppression(ADA.email)).toMatchObject({ reason: 'complaint' });
    expect(await actions()).toEqual(ledger);
    expect(eventsOf('EmailComplained')).toEqual([{ customerId: ADA.id, withdrawnTopics: [] }]);
  });

  it('suppresses on a complaint and withdraws every marketing topic, leaving service topics', async () => {
    await grant('newsletter');
    await request('product-news');
    await grant('account');
    const before = consents.events.length;

    await consent.complaint(['ADA@example.com'], ctx);

    expect(await consents.suppression(ADA.email)).toMatchObject({ reason: 'complaint' });
    expect(await stateOf('newsletter')).toBe('unsubscribed');
    expect(await stateOf('product-news')).toBe('unsubscribed');
    expect(await stateOf('account')).toBe('subscribed');
    const withdrawn = (await consents.ledger(ADA.id)).filter((e) => e.action === 'withdrawn');
    expect(withdrawn.map((e) => [e.topic, e.source])).toEqual([
      ['newsletter', 'ses_feedback'],
      ['product-news', 'ses_feedback'],
    ]);
    expect(consents.events.slice(before).map((e) => [e.definition.detailType, e.data])).toEqual([
      ['ConsentWithdrawn', { customerId: ADA.id, topic: 'newsletter', source: 'ses_feedback' }],
      ['ConsentWithdrawn', { customerId: ADA.id, topic: 'product-news', source: 'ses_feedback' }],
      ['EmailSuppressed', { reason: 'complaint', customerId: ADA.id }],
      ['EmailComplained', { customerId: ADA.id, withdrawnTopics: ['newsletter', 'product-news'] }],
    ]);
  });

  it('withdraws every marketing topic on a complaint, recording an objection for ones never subscribed', async () => {
    await grant('product-news');
    await consent.complaint([ADA.email], ctx);
    expect(eventsOf('EmailComplained')).toEqual([{ customerId: ADA.id, withdrawnTopics: ['newsletter', 'product-news'] }]);
    await consent.complaint([ADA.email], ctx);
    expect(eventsOf('EmailComplained').at(-1)).toEqual({ customerId: ADA.id, withdrawnTopics: [] });
  });

  it('lifts a suppression (case-insensitively) and refuses to lift one that is not there', async () => {
    await consent.bounce([ADA.email], 'Permanent', ctx);
    await consent.unsuppress('ADA@example.com');
    expect(await consents.suppression(ADA.email)).toBeUndefined();
    expect(await rejection(consent.unsuppress(ADA.email))).toBeInstanceOf(NotFoundError);
  });
});

describe('concurrent transitions', () => {
  it('retries a transition that lost a race, and it lands exactly once', async () => {
    const token = await requestedToken();
    consents.failNext('append', new ConcurrentUpdateError());
    expect((await consent.confirm(token, ctx)).state).toBe('subscribed');
    expect(await actions()).toEqual(['requested', 'confirmed']);
    expect(eventsOf('ConsentConfirmed')).toHaveLength(1);
  });

  it('decides again on the state the other request left: a grant landing first makes the confirmation a no-op', async () => {
    const token = await requestedToken();
    consents.beforeNextAppend(() => grant('newsletter'));
    expect((await consent.confirm(token, ctx)).state).toBe('subscribed');
    expect(await actions()).toEqual(['requested', 'granted']);
    expect(eventsOf('ConsentConfirmed')).toEqual([]);
  });

  it('does not retry other failures', async () => {
    const token = await requestedToken();
    consents.failNext('append', new Error('table unavailable'));
    expect((await rejection(consent.confirm(token, ctx))).message).toBe('table unavailable');
    expect(await actions()).toEqual(['requested']);
  });
});

describe('ledger and state agree', () => {
  type Step = { op: 'request' | 'confirm' | 'grant' | 'withdraw' | 'unsubscribe' | 'complaint'; topic: 'newsletter' | 'product-news' };
  const step = fc.record({
    op: fc.constantFrom('request', 'confirm', 'grant', 'withdraw', 'unsubscribe', 'complaint'),
    topic: fc.constantFrom('newsletter', 'product-news'),
  }) as fc.Arbitrary<Step>;

  it('keeps every stored topic state equal to the fold of its ledger, whatever the order of operations', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 12 }), async (steps) => {
        const ids = sequentialIds('p');
        const repo = fakeConsentRepository({ topics: TOPICS, customers: [ADA] });
        const mails = fakeEmailSender();
        const useCases = consentUseCases({ consents: repo, gate: emailGate({ consents: repo, sender: mails, clock, ids }), tokens, clock, ids });
        const lastToken = new Map<string, string>();
        for (const { op, topic } of steps) {
          if (op === 'request') {
            await useCases.command(ADA.id, command({ topic, action: 'request' }), ADMIN, BASE, ctx);
            const mail = mails.sent.at(-1);
            if (mail) lastToken.set(topic, tokenIn(mail.text, '/optin/confirm'));
          } else if (op === 'confirm') {
            const token = lastToken.get(topic);
            // A link is refused (gone) once a withdrawal superseded it; that writes nothing either.
            if (token) await useCases.confirm(token, ctx).catch((error: unknown) => expect(error).toBeInstanceOf(TokenExpiredError));
          } else if (op === 'grant') {
            await useCases.command(ADA.id, command({ topic, action: 'grant', legalBasis: 'consent', proof: 'p' }), ADMIN, BASE, ctx);
          } else if (op === 'withdraw') {
            await useCases.command(ADA.id, command({ topic, action: 'withdraw' }), ADMIN, BASE, ctx);
          } else if (op === 'unsubscribe') {
            await useCases.unsubscribe(await tokens.sign({ purpose: 'unsubscribe', customerId: ADA.id, topic, id: 'u' }), { all: false }, ctx);
          } else {
            await useCases.complaint([ADA.email], ctx);
            await repo.unsuppress(ADA.email); // so later requests still mail a link
          }
        }
        const ledger = await repo.ledger(ADA.id);
        for (const topic of ['newsletter', 'product-news']) {
          const stored = (await repo.states(ADA.id)).find((s) => s.topic === topic)?.state ?? 'none';
          expect(stored).toBe(foldLedger(ledger.filter((e) => e.topic === topic)));
        }
      }),
      { numRuns: 150 },
    );
  });
});

// Defects found by these tiers, fixed, and kept as regressions.
describe('regressions', () => {
  it('a link from before a withdrawal stays refused after a new request', async () => {
    const old = await requestedToken();
    await withdraw('newsletter');
    await request('newsletter'); // pending again, with a new link
    await consent.confirm(old, ctx).catch(() => undefined);
    expect(await stateOf('newsletter')).toBe('pending');
  });

  it('a complaint about an address that is already suppressed still publishes EmailComplained', async () => {
    await grant('newsletter');
    await consent.bounce([ADA.email], 'Permanent', ctx);
    await consent.complaint([ADA.email], ctx);
    expect(await stateOf('newsletter')).toBe('unsubscribed');
    expect(eventsOf('EmailComplained')).toEqual([{ customerId: ADA.id, withdrawnTopics: ['newsletter', 'product-news'] }]);
  });
});
