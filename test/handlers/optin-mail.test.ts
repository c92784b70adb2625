import type { EventBridgeEvent } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Recipient } from '../../domain/consent/consent.repository.ts';
import type { Topic } from '../../domain/consent/consent.schema.ts';
import { type ConsentUseCases, consentUseCases, OPTIN_TTL_SECONDS } from '../../domain/consent/consent.use-cases.ts';
import { emailGate } from '../../domain/consent/email-gate.ts';
import { optInMail } from '../../domain/consent/optin-mail.use-cases.ts';
import { ClaimHeldError } from '../../domain/shared/errors.ts';
import { ConsentRequested } from '../../events/consent-requested.event.ts';
import { optInMailHandler } from '../../functions/consent/consent-events.handlers.ts';
import { gatedServiceSender } from '../../functions/consent/consent.composition.ts';
import { hmacTokens, tokenSigner } from '../../functions/shared/hmac-tokens.ts';
import { type FakeOnceGuard, fakeOnceGuard } from '../support/case-fakes.ts';
import { type FakeConsentRepository, type FakeEmailSender, fakeConsentRepository, fakeEmailSender } from '../support/consent-fakes.ts';
import { type FakeClock, fakeClock, sequentialIds } from '../support/fakes.ts';

// The double opt-in mail leaves through the outbox: the request commits `pending` and its
// ConsentRequested in one transaction, and the ConsentRequested consumer sends the mail. It
// claims the event, marks the claim done only after SES accepted, and gives it up on failure, so
// a retried delivery sends it: at least once, and recorded once.

const BASE = 'https://api.example.test';
const TOPICS: Topic[] = [
  { id: 'newsletter', name: 'Monthly newsletter', description: '', purpose: 'marketing' },
  { id: 'product-news', name: 'Product news', description: '', purpose: 'marketing' },
];
const ADA: Recipient = { id: 'c-ada', email: 'ada@example.com', firstName: 'Ada', lastName: null };
const ctx = { correlationId: 'corr-1' };
const LEASE_MS = 5 * 60_000;

const SECRET = 'optin-mail-test-secret-0123456789abcdef';
let clock: FakeClock;
let consents: FakeConsentRepository;
let sender: FakeEmailSender;
let once: FakeOnceGuard;
let consent: ConsentUseCases;
let tokens: ReturnType<typeof hmacTokens>;
let deliver: (event: EventBridgeEvent<string, unknown>) => Promise<unknown>;

beforeEach(() => {
  clock = fakeClock('2025-01-15T09:00:00.000Z');
  const ids = sequentialIds('id');
  consents = fakeConsentRepository({ topics: TOPICS, customers: [ADA] });
  sender = fakeEmailSender();
  once = fakeOnceGuard({ clock, leaseMs: LEASE_MS });
  tokens = hmacTokens(SECRET);
  const gate = emailGate({ consents, sender, clock, ids });
  consent = consentUseCases({ consents, gate, tokens: tokenSigner(SECRET), clock, ids });
  deliver = optInMailHandler(optInMail({ consents, gate, tokens: tokenSigner(SECRET), clock, once }));
});

let published = 0;
/** Asks for Ada's opt-in and returns its ConsentRequested as the bus delivers it. */
async function requested(topic = 'newsletter') {
  const result = await consent.command(ADA.id, { topic, action: 'request', source: 'api' }, { roles: ['agent'] }, BASE, ctx);
  const event = consents.events.filter((e) => e.definition === ConsentRequested).at(-1)!;
  const eventId = `evt-${++published}`;
  const busEvent: EventBridgeEvent<string, unknown> = {
    version: '0',
    id: `eb-${eventId}`,
    'detail-type': ConsentRequested.detailType,
    source: ConsentRequested.source,
    account: '123456789012',
    time: clock.now().toISOString(),
    region: 'eu-central-1',
    resources: [],
    detail: ConsentRequested.detail.parse({
      metadata: { eventId, version: 1, occurredAt: clock.now().toISOString(), correlationId: 'corr-1', causationId: null, idempotencyKey: `idem-${eventId}` },
      data: event.data,
    }),
  };
  return { result, event: busEvent, eventId };
}

const sentDeliveries = () => consents.deliveries.filter((d) => d.outcome === 'sent');
const emailSentEvents = () => consents.events.filter((e) => e.definition.detailType === 'EmailSent');
const stateOf = async (topic = 'newsletter') => (await consents.states(ADA.id)).find((s) => s.topic === topic)?.state;

describe('a double opt-in request', () => {
  it('commits pending with its ConsentRequested (request id and link base) and sends nothing itself', async () => {
    const { result, event } = await requested();
    expect(result).toEqual({ state: 'pending', confirmation: 'queued' });
    expect(sender.sent).toEqual([]);
    const [entry] = await consents.ledger(ADA.id);
    expect((event.detail as { data: unknown }).data).toEqual({ customerId: ADA.id, topic: 'newsletter', source: 'api', requestId: entry!.proof, linkBase: BASE });
    expect(consents.commits.map((c) => c.operation)).toEqual(['append']); // state, ledger entry and event: one transaction
  });
});

describe('the ConsentRequested consumer', () => {
  it('mails a link naming the topic, valid 48 h from sending, and sends and records it once however often the event arrives', async () => {
    const { event } = await requested();
    await deliver(event);
    await deliver(event);
    expect(sender.sent).toHaveLength(1);
    const [mail] = sender.sent;
    expect(mail!.to).toEqual([ADA.email]);
    expect(mail!.subject).toBe('Please confirm: Monthly newsletter');
    const token = decodeURIComponent(new RegExp(`${BASE}/optin/confirm\\?token=(\\S+)`).exec(mail!.text)![1]!);
    const [entry] = await consents.ledger(ADA.id);
    expect(tokens.verify(token, clock.now())).toEqual({ purpose: 'optin', customerId: ADA.id, topic: 'newsletter', id: entry!.proof, exp: clock.now().getTime() / 1000 + OPTIN_TTL_SECONDS });
    expect(sentDeliveries()).toHaveLength(1);
    expect(emailSentEvents()).toHaveLength(1);
  });

  it('SES down: the delivery fails, nothing is recorded and the claim is given up; once SES is back the retry sends one mail, recorded once', async () => {
    const { event, eventId } = await requested();
    sender.failNext(new Error('connect ECONNREFUSED 127.0.0.1:8005'));
    await expect(deliver(event)).rejects.toThrow('ECONNREFUSED');
    expect(sender.sent).toEqual([]);
    expect(consents.deliveries).toEqual([]);
    expect(once.state(`optin#${eventId}`)).toBeUndefined();
    expect(await stateOf()).toBe('pending');

    await deliver(event);
    await deliver(event);
    expect(sender.sent).toHaveLength(1);
    expect(sentDeliveries()).toHaveLength(1);
    expect(once.state(`optin#${eventId}`)).toBe('done');
  });

  it('an attempt that died after SES accepted and the record committed (claim not marked done): the retry after the lease may send again, but records nothing twice', async () => {
    const { event, eventId } = await requested();
    once.failNextDone(new Error('Lambda timed out'));
    await expect(deliver(event)).rejects.toThrow('Lambda timed out');
    expect(sender.sent).toHaveLength(1);
    expect(once.state(`optin#${eventId}`)).toBe('claimed');

    await expect(deliver(event)).rejects.toBeInstanceOf(ClaimHeldError); // within the lease: retry later, never drop
    expect(sender.sent).toHaveLength(1);

    clock.advance(LEASE_MS + 1);
    await deliver(event);
    expect(sender.sent).toHaveLength(2); // at least once
    expect(sentDeliveries()).toHaveLength(1); // recorded once
    expect(emailSentEvents()).toHaveLength(1);
    expect(once.state(`optin#${eventId}`)).toBe('done');
  });

  it('sends nothing for a request that a withdrawal or a newer request superseded, or for a person who is gone', async () => {
    const first = await requested();
    const second = await requested();
    await deliver(first.event);
    expect(sender.sent).toEqual([]);
    await deliver(second.event);
    expect(sender.sent).toHaveLength(1);

    const withdrawn = await requested('product-news');
    await consent.command(ADA.id, { topic: 'product-news', action: 'withdraw', source: 'api' }, { roles: ['agent'] }, BASE, ctx);
    await deliver(withdrawn.event);
    const gone = await requested('product-news');
    consents.markErased(ADA.id);
    await deliver(gone.event);
    expect(sender.sent).toHaveLength(1);
    expect(consents.deliveries).toHaveLength(1);
  });

  it('records a blocked mail (suppressed address) once and sends nothing', async () => {
    await consents.suppress({ email: ADA.email, reason: 'bounce', at: clock.now().toISOString(), detail: 'Permanent' }, [], ctx);
    const { event } = await requested();
    await deliver(event);
    await deliver(event);
    expect(sender.sent).toEqual([]);
    expect(consents.deliveries.map((d) => [d.outcome, d.reason])).toEqual([['blocked', 'suppressed']]);
  });
});

describe('service mail of other contexts (case notices) through the gate', () => {
  it('is recorded once per delivery key, however often a retry sends it', async () => {
    const gate = emailGate({ consents, sender, clock, ids: sequentialIds('g') });
    const mailer = gatedServiceSender(gate);
    const message = { to: ['boss@managers.test'], subject: '[Escalated, level 1] CASE-1001: Parcel missing', text: 'x', kind: 'service' as const, deliveryKey: 'notice#evt-9' };
    await mailer.send(message);
    await mailer.send(message);
    expect(sender.sent).toHaveLength(2);
    expect(emailSentEvents()).toHaveLength(1);
  });
});
