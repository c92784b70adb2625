import type { EventBridgeEvent } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Recipient } from '../../domain/consent/consent.repository.ts';
import { ConsentCommand, type Topic } from '../../domain/consent/consent.schema.ts';
import { type ConsentUseCases, consentUseCases } from '../../domain/consent/consent.use-cases.ts';
import { emailGate } from '../../domain/consent/email-gate.ts';
import { CustomerErased } from '../../events/customer-erased.event.ts';
import { SES_BOUNCE, SES_COMPLAINT, SES_DELIVERY, SES_SOURCE, SesBounceDetail, SesComplaintDetail } from '../../events/ses-feedback.event.ts';
import { consentErasureHandler, emailFeedbackHandler } from '../../functions/consent/consent-events.handlers.ts';
import { tokenSigner } from '../../functions/shared/hmac-tokens.ts';
import { type FakeConsentRepository, fakeConsentRepository, fakeEmailSender } from '../support/consent-fakes.ts';
import { fakeClock, sequentialIds } from '../support/fakes.ts';

// The consent context's EventBridge consumers: SES feedback in AWS's own event shape (as a
// configuration set publishes it to EventBridge), and CustomerErased in our envelope.

const T0 = '2025-01-15T09:00:00.000Z';
const TOPICS: Topic[] = [
  { id: 'newsletter', name: 'Newsletter', description: '', purpose: 'marketing' },
  { id: 'product-news', name: 'Product news', description: '', purpose: 'marketing' },
  { id: 'account', name: 'Account notices', description: '', purpose: 'service' },
];
const ADA: Recipient = { id: 'c-ada', email: 'ada@example.com', firstName: 'Ada', lastName: null };

let consents: FakeConsentRepository;
let consent: ConsentUseCases;

beforeEach(() => {
  const clock = fakeClock(T0);
  const ids = sequentialIds('id');
  consents = fakeConsentRepository({ topics: TOPICS, customers: [ADA] });
  const gate = emailGate({ consents, sender: fakeEmailSender(), clock, ids });
  consent = consentUseCases({ consents, gate, tokens: tokenSigner('consumer-test-secret-0123456789abcd'), clock, ids });
});

let seq = 0;
function sesEvent(detailType: string, detail: unknown): EventBridgeEvent<string, unknown> {
  return { version: '0', id: `ses-evt-${++seq}`, 'detail-type': detailType, source: SES_SOURCE, account: '123456789012', time: T0, region: 'eu-central-1', resources: [], detail };
}

const mail = (destination: string[]) => ({
  messageId: '0102018f-aaaa-bbbb-cccc-000000000000-000000',
  timestamp: T0,
  source: 'crm@example.test',
  destination,
  tags: { kind: ['marketing'] },
});

/** "Email Bounced" as SES publishes it (checked against our schema so the builder cannot drift). */
function bounceEvent(bounceType: 'Permanent' | 'Transient' | 'Undetermined', addresses: string[]) {
  return sesEvent(
    SES_BOUNCE,
    SesBounceDetail.parse({
      eventType: 'Bounce',
      bounce: {
        bounceType,
        bounceSubType: bounceType === 'Permanent' ? 'General' : 'MailboxFull',
        bouncedRecipients: addresses.map((emailAddress) => ({ emailAddress, action: 'failed', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 user unknown' })),
        timestamp: T0,
        feedbackId: 'feedback-1',
      },
      mail: mail(addresses),
    }),
  );
}

function complaintEvent(addresses: string[]) {
  return sesEvent(
    SES_COMPLAINT,
    SesComplaintDetail.parse({
      eventType: 'Complaint',
      complaint: { complainedRecipients: addresses.map((emailAddress) => ({ emailAddress })), timestamp: T0, feedbackId: 'feedback-2', complaintFeedbackType: 'abuse' },
      mail: mail(addresses),
    }),
  );
}

const grant = (topic: string) => consent.command(ADA.id, ConsentCommand.parse({ topic, action: 'grant', legalBasis: 'consent', proof: 'p' }), { roles: ['admin'] }, 'https://x.test', { correlationId: 'setup' });
const stateOf = async (topic: string) => (await consents.states(ADA.id)).find((s) => s.topic === topic)?.state ?? 'none';

describe('emailFeedbackHandler', () => {
  it('suppresses every hard-bounced recipient, with the event id as correlation id', async () => {
    const event = bounceEvent('Permanent', ['Ada@Example.com', 'gone@example.org']);
    await emailFeedbackHandler(consent)(event);
    expect(await consents.suppression('ada@example.com')).toMatchObject({ reason: 'bounce', detail: 'Permanent' });
    expect(await consents.suppression('gone@example.org')).toMatchObject({ reason: 'bounce' });
    expect(consents.commits.map((c) => c.context.correlationId)).toEqual([event.id, event.id]);
    expect(consents.events.map((e) => e.definition.detailType)).toEqual(['EmailBounced', 'EmailSuppressed', 'EmailBounced', 'EmailSuppressed']);
  });

  it('does not suppress on a transient bounce', async () => {
    await emailFeedbackHandler(consent)(bounceEvent('Transient', [ADA.email]));
    expect(await consents.suppression(ADA.email)).toBeUndefined();
    expect(consents.events.map((e) => e.data)).toEqual([{ bounceType: 'Transient', customerId: ADA.id, suppressed: false }]);
  });

  it('suppresses a complaining address and withdraws its marketing topics', async () => {
    await grant('newsletter');
    await grant('account');
    await emailFeedbackHandler(consent)(complaintEvent([ADA.email]));
    expect(await consents.suppression(ADA.email)).toMatchObject({ reason: 'complaint' });
    expect(await stateOf('newsletter')).toBe('unsubscribed');
    expect(await stateOf('account')).toBe('subscribed');
    expect((await consents.ledger(ADA.id)).at(-1)).toMatchObject({ action: 'withdrawn', source: 'ses_feedback' });
    expect(consents.events.at(-1)?.data).toEqual({ customerId: ADA.id, withdrawnTopics: ['newsletter', 'product-news'] });
  });

  it('throws on a detail-type it does not handle, writing nothing', async () => {
    const delivered = sesEvent(SES_DELIVERY, { eventType: 'Delivery', mail: mail([ADA.email]), delivery: { timestamp: T0, recipients: [ADA.email] } });
    await expect(emailFeedbackHandler(consent)(delivered)).rejects.toThrow(`Unexpected event ${SES_DELIVERY}`);
    expect(consents.commits).toEqual([]);
  });

  it('throws on a bounce whose detail is not what SES sends, writing nothing', async () => {
    const broken = sesEvent(SES_BOUNCE, { eventType: 'Bounce', bounce: { bounceType: 'Permanent', timestamp: T0 }, mail: mail([ADA.email]) });
    await expect(emailFeedbackHandler(consent)(broken)).rejects.toThrow();
    const mislabelled = sesEvent(SES_COMPLAINT, bounceEvent('Permanent', [ADA.email]).detail);
    await expect(emailFeedbackHandler(consent)(mislabelled)).rejects.toThrow();
    expect(consents.commits).toEqual([]);
  });
});

describe('consentErasureHandler', () => {
  function erasedEvent(customerId: string, mergedFrom?: string[]): EventBridgeEvent<string, unknown> {
    return {
      version: '0',
      id: 'eb-erased-1',
      'detail-type': CustomerErased.detailType,
      source: CustomerErased.source,
      account: '123456789012',
      time: T0,
      region: 'eu-central-1',
      resources: [],
      detail: CustomerErased.detail.parse({
        metadata: { eventId: 'evt-1', version: CustomerErased.version, occurredAt: T0, correlationId: 'corr-erase', causationId: null, idempotencyKey: 'idem-1' },
        data: { customerId, ...(mergedFrom ? { mergedFrom } : {}) },
      }),
    };
  }

  it('anonymises the ledger (keeps topic, action, basis and proof; drops ip and user agent) and drops deliveries', async () => {
    await consent.command(ADA.id, ConsentCommand.parse({ topic: 'newsletter', action: 'request', ip: '198.51.100.9', userAgent: 'UA-unique', textVersion: 'v3' }), { roles: ['agent'] }, 'https://x.test', { correlationId: 'setup' });
    await grant('product-news');
    // The opt-in mail goes out through the outbox now; a marketing mail leaves a delivery at once.
    await consent.sendMarketing(ADA.id, { topic: 'product-news', subject: 'News', text: 'x' }, 'https://x.test', { correlationId: 'setup' });
    expect(consents.deliveries).toHaveLength(1);

    await consentErasureHandler(consent)(erasedEvent(ADA.id));

    const ledger = await consents.ledger(ADA.id);
    expect(ledger.map((e) => [e.topic, e.action, e.legalBasis, e.proof === null])).toEqual([
      ['newsletter', 'requested', null, false],
      ['product-news', 'granted', 'consent', false],
    ]);
    expect(JSON.stringify(ledger)).not.toMatch(/198\.51\.100\.9|UA-unique/);
    expect(consents.deliveries).toEqual([]);
  });

  it('anonymises the ledger of every profile merged into the erased customer as well', async () => {
    const GRACE = { id: 'c-grace', email: 'grace@example.com', firstName: 'Grace', lastName: null };
    consents.addCustomer(GRACE);
    await consent.command(GRACE.id, ConsentCommand.parse({ topic: 'newsletter', action: 'request', ip: '198.51.100.77', userAgent: 'UA-merged' }), { roles: ['agent'] }, 'https://x.test', { correlationId: 'setup' });
    await consentErasureHandler(consent)(erasedEvent(ADA.id, [GRACE.id]));
    expect(JSON.stringify(await consents.ledger(GRACE.id))).not.toMatch(/198\.51\.100\.77|UA-merged/);
    expect(consents.deliveries).toEqual([]);
  });

  it('throws on an event that is not a CustomerErased envelope', async () => {
    await expect(consentErasureHandler(consent)({ ...erasedEvent(ADA.id), detail: { customerId: ADA.id } })).rejects.toThrow();
  });
});
