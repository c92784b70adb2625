import { beforeEach, describe, expect, it } from 'vitest';
import type { Recipient } from '../../domain/consent/consent.repository.ts';
import type { ConsentState, Topic } from '../../domain/consent/consent.schema.ts';
import { type EmailGate, emailGate, escapeHtml, type GateMessage, personalise } from '../../domain/consent/email-gate.ts';
import { EmailSent } from '../../events/email-sent.event.ts';
import { type FakeConsentRepository, type FakeEmailSender, fakeConsentRepository, fakeEmailSender } from '../support/consent-fakes.ts';
import { fakeClock, sequentialIds } from '../support/fakes.ts';

// The one gate every email passes (issue 5): "a marketing send to a non-consented or suppressed
// customer sends nothing and records why, even when the caller asks for it directly".

const ctx = { correlationId: 'corr-gate' };
const TOPICS: Topic[] = [
  { id: 'newsletter', name: 'Newsletter', description: '', purpose: 'marketing' },
  { id: 'account', name: 'Account notices', description: '', purpose: 'service' },
];
const ADA: Recipient = { id: 'c-ada', email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' };

let consents: FakeConsentRepository;
let sender: FakeEmailSender;
let gate: EmailGate;

beforeEach(() => {
  consents = fakeConsentRepository({ topics: TOPICS, customers: [ADA] });
  sender = fakeEmailSender();
  gate = emailGate({ consents, sender, clock: fakeClock('2025-01-15T09:00:00.000Z'), ids: sequentialIds('d') });
});

async function setState(customerId: string, topic: string, state: ConsentState) {
  const expected = (await consents.states(customerId)).find((s) => s.topic === topic)?.state ?? 'none';
  await consents.append([], [{ customerId, topic, state, at: '2025-01-14T00:00:00.000Z', expected }], [], ctx);
}

async function suppress(email: string) {
  await consents.suppress({ email, reason: 'bounce', at: '2025-01-14T00:00:00.000Z', detail: null }, [], ctx);
}

const marketing = (overrides: Partial<GateMessage> = {}): GateMessage => ({
  kind: 'marketing',
  customerId: ADA.id,
  topic: 'newsletter',
  to: [ADA.email],
  subject: 'Spring offers',
  text: 'Hello',
  ...overrides,
});

const service = (overrides: Partial<GateMessage> = {}): GateMessage => ({
  kind: 'service',
  customerId: ADA.id,
  topic: null,
  to: [ADA.email],
  subject: 'Your case was updated',
  text: 'Case 1001 is solved.',
  ...overrides,
});

function expectBlockedAndRecorded(reason: string, kind: 'marketing' | 'service' = 'marketing') {
  expect(sender.sent).toEqual([]);
  expect(consents.deliveries).toEqual([
    { id: 'd-0001', customerId: ADA.id, at: '2025-01-15T09:00:00.000Z', kind, topic: kind === 'marketing' ? 'newsletter' : null, subject: expect.any(String), outcome: 'blocked', reason, messageId: null },
  ]);
  expect(consents.events).toEqual([]);
}

/** An erased person gets no new record in their partitions (erasure already cleaned them). */
function expectBlockedNotRecorded() {
  expect(sender.sent).toEqual([]);
  expect(consents.deliveries).toEqual([]);
  expect(consents.events).toEqual([]);
}

describe('emailGate: marketing mail', () => {
  it.each(['none', 'pending', 'unsubscribed'] as const)('blocks a topic in state %s as no_consent, sends nothing and records why', async (state) => {
    if (state !== 'none') await setState(ADA.id, 'newsletter', state);
    expect(await gate.send(marketing(), ctx)).toEqual({ outcome: 'blocked', reason: 'no_consent' });
    expectBlockedAndRecorded('no_consent');
  });

  it('blocks when only another topic is subscribed', async () => {
    await setState(ADA.id, 'account', 'subscribed');
    expect(await gate.send(marketing(), ctx)).toEqual({ outcome: 'blocked', reason: 'no_consent' });
    expect(sender.sent).toEqual([]);
  });

  it('blocks marketing that names no customer or no topic, however it is asked', async () => {
    expect(await gate.send(marketing({ customerId: null }), ctx)).toEqual({ outcome: 'blocked', reason: 'no_consent' });
    expect(await gate.send(marketing({ topic: null }), ctx)).toEqual({ outcome: 'blocked', reason: 'no_consent' });
    expect(sender.sent).toEqual([]);
    expect(consents.deliveries.map((d) => d.reason)).toEqual(['no_consent']); // the customer-less one has no timeline to land on
  });

  it('blocks a subscribed customer whose address is suppressed, whatever its case', async () => {
    await setState(ADA.id, 'newsletter', 'subscribed');
    await suppress('ada@example.com');
    expect(await gate.send(marketing({ to: ['Ada@EXAMPLE.com'] }), ctx)).toEqual({ outcome: 'blocked', reason: 'suppressed' });
    expectBlockedAndRecorded('suppressed');
  });

  it("carries a customer's consent to that customer's address only", async () => {
    await setState(ADA.id, 'newsletter', 'subscribed');
    expect(await gate.send(marketing({ to: ['someone.else@example.com'] }), ctx)).toEqual({ outcome: 'blocked', reason: 'no_consent' });
    expect(await gate.send(marketing({ to: [ADA.email, 'someone.else@example.com'] }), ctx)).toEqual({ outcome: 'blocked', reason: 'no_consent' });
    expect(sender.sent).toEqual([]);
    expect(await gate.send(marketing({ to: ['ADA@Example.COM'] }), ctx)).toMatchObject({ outcome: 'sent' });
  });

  it('blocks an erased customer as erased, even with a subscribed state left behind, and records nothing more about them', async () => {
    await setState(ADA.id, 'newsletter', 'subscribed');
    consents.markErased(ADA.id);
    expect(await gate.send(marketing(), ctx)).toEqual({ outcome: 'blocked', reason: 'erased' });
    expectBlockedNotRecorded();
  });

  it('blocks a customer id it does not know as erased', async () => {
    expect(await gate.send(marketing({ customerId: 'c-ghost' }), ctx)).toEqual({ outcome: 'blocked', reason: 'erased' });
    expect(sender.sent).toEqual([]);
  });

  it('sends to a subscribed, unsuppressed customer and records EmailSent without the address', async () => {
    await setState(ADA.id, 'newsletter', 'subscribed');
    const headers = { 'List-Unsubscribe': '<https://api.example.test/unsubscribe?token=t>' };
    const outcome = await gate.send(marketing({ html: '<p>Hello</p>', headers }), ctx);

    expect(outcome).toEqual({ outcome: 'sent', messageId: 'msg-1' });
    expect(sender.sent).toEqual([{ to: [ADA.email], subject: 'Spring offers', text: 'Hello', html: '<p>Hello</p>', kind: 'marketing', headers }]);
    expect(consents.deliveries).toEqual([
      { id: 'd-0001', customerId: ADA.id, at: '2025-01-15T09:00:00.000Z', kind: 'marketing', topic: 'newsletter', subject: 'Spring offers', outcome: 'sent', reason: null, messageId: 'msg-1' },
    ]);
    expect(consents.events.map((e) => [e.definition, e.data])).toEqual([[EmailSent, { messageId: 'msg-1', kind: 'marketing', topic: 'newsletter', customerId: ADA.id }]]);
    expect(JSON.stringify(consents.events.map((e) => e.data))).not.toContain('@');
    expect(consents.commits[0]?.context).toEqual(ctx);
  });

  it('records nothing as sent when the sender fails', async () => {
    await setState(ADA.id, 'newsletter', 'subscribed');
    sender.failNext(new Error('SES is down'));
    await expect(gate.send(marketing(), ctx)).rejects.toThrow('SES is down');
    expect(consents.deliveries).toEqual([]);
    expect(consents.events).toEqual([]);
  });
});

describe('emailGate: service mail', () => {
  it('needs no topic consent', async () => {
    expect(await gate.send(service(), ctx)).toEqual({ outcome: 'sent', messageId: 'msg-1' });
    expect(sender.sent).toHaveLength(1);
    expect(sender.sent[0]).toMatchObject({ kind: 'service', to: [ADA.email] });
    expect(consents.events.map((e) => e.data)).toEqual([{ messageId: 'msg-1', kind: 'service', topic: null, customerId: ADA.id }]);
  });

  it('goes to an address that belongs to no customer', async () => {
    expect(await gate.send(service({ customerId: null, to: ['agent@example.com'] }), ctx)).toEqual({ outcome: 'sent', messageId: 'msg-1' });
    expect(consents.events).toHaveLength(1);
    expect(consents.deliveries).toEqual([]); // nothing customer-bound to keep
  });

  it('is blocked for a suppressed address', async () => {
    await suppress('ada@example.com');
    expect(await gate.send(service({ to: ['ADA@example.com'] }), ctx)).toEqual({ outcome: 'blocked', reason: 'suppressed' });
    expectBlockedAndRecorded('suppressed', 'service');
  });

  it('is blocked when any one of several addresses is suppressed', async () => {
    await suppress('old@example.com');
    expect(await gate.send(service({ to: [ADA.email, 'Old@example.com'] }), ctx)).toEqual({ outcome: 'blocked', reason: 'suppressed' });
    expect(sender.sent).toEqual([]);
  });

  it('is blocked for a suppressed address without a customer too', async () => {
    await suppress('agent@example.com');
    expect(await gate.send(service({ customerId: null, to: ['agent@example.com'] }), ctx)).toEqual({ outcome: 'blocked', reason: 'suppressed' });
    expect(sender.sent).toEqual([]);
  });

  it('is blocked for an erased customer, and nothing more is recorded about them', async () => {
    consents.markErased(ADA.id);
    expect(await gate.send(service(), ctx)).toEqual({ outcome: 'blocked', reason: 'erased' });
    expectBlockedNotRecorded();
  });
});

describe('personalise', () => {
  it('fills firstName, lastName and email, with or without spaces inside the braces', () => {
    expect(personalise('Dear {{firstName}} {{ lastName }} <{{email}}>', ADA, false)).toBe('Dear Ada Lovelace <ada@example.com>');
  });

  it('leaves missing names empty', () => {
    expect(personalise('Hi {{firstName}}{{lastName}}!', { ...ADA, firstName: null, lastName: null }, false)).toBe('Hi !');
  });

  it('HTML-escapes the values in HTML mode, and only the values', () => {
    const odd: Recipient = { ...ADA, firstName: `<b>"Tom" & 'Jerry'</b>` };
    expect(personalise('<p>Dear {{firstName}}</p>', odd, true)).toBe('<p>Dear &lt;b&gt;&quot;Tom&quot; &amp; &#39;Jerry&#39;&lt;/b&gt;</p>');
    expect(personalise('Dear {{firstName}}', odd, false)).toBe(`Dear <b>"Tom" & 'Jerry'</b>`);
  });

  it('turns an unknown placeholder into nothing and keeps text that is no placeholder', () => {
    expect(personalise('a{{phone}}b{{ nickname }}c', ADA, false)).toBe('abc');
    expect(personalise('{firstName} {{first-name}} {{}}', ADA, false)).toBe('{firstName} {{first-name}} {{}}');
  });

  it('treats names of Object.prototype members as unknown placeholders', () => {
    expect(personalise('a{{constructor}}b{{toString}}c{{__proto__}}d', ADA, false)).toBe('abcd');
    expect(personalise('a{{constructor}}b{{hasOwnProperty}}c', ADA, true)).toBe('abc');
  });

  it('does not inject a value that looks like a placeholder', () => {
    expect(personalise('{{firstName}}', { ...ADA, firstName: '{{email}}' }, false)).toBe('{{email}}');
  });
});

describe('escapeHtml', () => {
  it('escapes the five characters that matter in text and attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });
});

describe('the gate asked without sending (campaign sends)', () => {
  it('names each refusal the send would record, and sends and records nothing', async () => {
    expect(await gate.refusal(marketing())).toBe('no_consent');
    await setState(ADA.id, 'newsletter', 'subscribed');
    expect(await gate.refusal(marketing())).toBeUndefined();
    expect(await gate.refusal(marketing({ topic: 'other' }))).toBe('no_consent');
    await suppress(ADA.email);
    expect(await gate.refusal(marketing())).toBe('suppressed');
    expect(await gate.refusal(marketing({ customerId: 'c-gone' }))).toBe('erased');
    expect(sender.sent).toEqual([]);
    expect(consents.deliveries).toEqual([]);
  });
});

