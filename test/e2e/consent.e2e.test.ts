import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

// Consent-first email through the real local runtime: aws-ses-v2-local for mail, the local bus
// for SES feedback (mailbox-simulator addresses), HMAC links.

let t: TestRuntime;
const TOPICS = [
  { id: 'newsletter', name: 'Monthly newsletter', description: 'News and offers', purpose: 'marketing' },
  { id: 'product-news', name: 'Product news', purpose: 'marketing' },
  { id: 'account', name: 'Account notices', purpose: 'service' },
];

interface StoredEmail {
  messageId: string;
  subject: string;
  destination: { to: string[] };
  body: { text?: string; html?: string };
  headers?: { name: string; value: string }[];
}
const emails = async () => ((await (await fetch(`${t.runtime.sesUrl}/store`)).json()) as { emails: StoredEmail[] }).emails;
const mailTo = async (address: string) => (await emails()).filter((e) => e.destination.to.includes(address));
const linkIn = (email: StoredEmail, path: string) => {
  const match = new RegExp(`https?://[^\\s"<>]+${path.replace('/', '\\/')}\\?token=[^\\s"<>]+`).exec(email.body.text ?? '');
  if (!match) throw new Error(`no ${path} link in: ${email.body.text}`);
  return new URL(match[0]);
};
/** The mail goes out through the outbox and a consumer: wait until `count` mails arrived. */
const mailsTo = (address: string, count = 1) => eventually(async () => ((await mailTo(address)).length >= count ? mailTo(address) : undefined));
const firstMailTo = async (address: string) => (await mailsTo(address))[0]!;
/** What the confirmation page's button does: POST the token as a form. */
const confirm = (link: URL) =>
  fetch(new URL('/optin/confirm', link), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: link.searchParams.get('token')! }) });
const newCustomer = async (email: string, extra: Record<string, unknown> = {}) => (await t.call('POST', '/customers', { body: { email, ...extra } })).json;
const state = async (customerId: string, topic: string) =>
  (await t.call('GET', `/customers/${customerId}/consents`)).json.topics.find((s: { topic: string }) => s.topic === topic)?.state;

beforeAll(async () => {
  t = await startTestRuntime();
  expect((await t.call('PUT', '/topics', { role: 'admin', body: TOPICS })).status).toBe(200);
});
afterAll(async () => {
  await t?.runtime.stop();
});

describe('topics', () => {
  it('lets admins define topics (no limit of 20) and everyone signed in read them', async () => {
    expect((await t.call('PUT', '/topics', { role: 'marketer', body: TOPICS })).status).toBe(403);
    expect((await t.call('PUT', '/topics', { role: 'admin', body: [{ id: 'Bad Id', name: 'x', purpose: 'marketing' }] })).status).toBe(400);
    expect((await t.call('GET', '/topics', { role: 'customer', headers: {} })).json.map((x: { id: string }) => x.id)).toEqual(['newsletter', 'product-news', 'account']);
  });
});

describe('double opt-in', () => {
  it('requests consent (202, pending), emails a signed link, and confirms on click', async () => {
    const c = await newCustomer('opt.in@example.com', { firstName: 'Olive' });
    const res = await t.call('POST', `/customers/${c.id}/consents`, { body: { topic: 'newsletter', action: 'request', source: 'form', ip: '203.0.113.7', userAgent: 'Mozilla/5.0', textVersion: 'signup-v3' } });
    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({ topic: 'newsletter', state: 'pending', confirmation: 'queued' });
    const mail = await firstMailTo('opt.in@example.com');
    expect(mail.subject).toContain('Monthly newsletter');
    const link = linkIn(mail, '/optin/confirm');

    const opened = await fetch(link); // what a mail scanner does: shows the button, confirms nothing
    expect(opened.status).toBe(200);
    expect(opened.headers.get('content-type')).toContain('text/html');
    expect(await opened.text()).toContain('Monthly newsletter');
    expect(await state(c.id, 'newsletter')).toBe('pending');

    const confirmed = await confirm(link);
    expect(confirmed.status).toBe(200);
    expect(confirmed.headers.get('content-type')).toContain('text/html');
    expect(await state(c.id, 'newsletter')).toBe('subscribed');
    expect((await confirm(link)).status).toBe(200); // twice is fine
    const { json } = await t.call('GET', `/customers/${c.id}/consents`);
    expect(json.ledger.map((e: { action: string }) => e.action)).toEqual(['requested', 'confirmed']);
    expect(json.ledger[0]).toMatchObject({ source: 'form', ip: '203.0.113.7', userAgent: 'Mozilla/5.0', textVersion: 'signup-v3' });
    expect(json.ledger[1].proof).toBe(json.ledger[0].proof);
    const exported = (await t.call('GET', `/customers/${c.id}/export`, { role: 'admin' })).json;
    expect(exported.consents.map((e: { type: string }) => e.type)).toEqual(['consent_confirmed', 'consent_requested']);
    expect(exported.consents[1].data).toMatchObject({ ip: '203.0.113.7', userAgent: 'Mozilla/5.0', textVersion: 'signup-v3' });
    expect(exported.emails.map((e: { type: string }) => e.type)).toEqual(['email_sent']);

    const tampered = new URL(link);
    tampered.searchParams.set('token', `${link.searchParams.get('token')!.slice(0, -3)}abc`);
    expect((await fetch(tampered)).status).toBe(400);
    expect((await confirm(tampered)).status).toBe(400);
  });

  it('does not let an old confirmation link re-subscribe someone who withdrew meanwhile', async () => {
    const c = await newCustomer('changed.mind@example.com');
    await t.call('POST', `/customers/${c.id}/consents`, { body: { topic: 'newsletter', action: 'request' } });
    const link = linkIn(await firstMailTo('changed.mind@example.com'), '/optin/confirm');
    await t.call('POST', `/customers/${c.id}/consents`, { body: { topic: 'newsletter', action: 'withdraw' } });
    expect((await fetch(link)).status).toBe(410);
    expect((await confirm(link)).status).toBe(410);
    expect(await state(c.id, 'newsletter')).toBe('unsubscribed');
  });

  it('answers 410 for an expired confirmation link', async () => {
    const c = await newCustomer('late@example.com');
    await t.call('POST', `/customers/${c.id}/consents`, { body: { topic: 'newsletter', action: 'request' } });
    const link = linkIn(await firstMailTo('late@example.com'), '/optin/confirm');
    await t.call('POST', '/_local/clock/advance', { role: null, body: { seconds: 49 * 3600 } });
    expect((await fetch(link)).status).toBe(410);
    expect((await confirm(link)).status).toBe(410);
    expect(await state(c.id, 'newsletter')).toBe('pending');
  });

  it('records consent obtained elsewhere only for admins, with legal basis and proof', async () => {
    const c = await newCustomer('granted@example.com');
    const body = { topic: 'product-news', action: 'grant', legalBasis: 'consent', proof: 'paper-form-2026-11-01' };
    expect((await t.call('POST', `/customers/${c.id}/consents`, { role: 'marketer', body })).status).toBe(403);
    expect((await t.call('POST', `/customers/${c.id}/consents`, { role: 'admin', body: { topic: 'product-news', action: 'grant' } })).status).toBe(400);
    expect((await t.call('POST', `/customers/${c.id}/consents`, { role: 'admin', body })).json.state).toBe('subscribed');
    expect((await t.call('POST', `/customers/${c.id}/consents`, { body: { topic: 'product-news', action: 'withdraw' } })).json.state).toBe('unsubscribed');
    expect((await t.call('POST', `/customers/${c.id}/consents`, { body: { topic: 'nope', action: 'withdraw' } })).status).toBe(422);
  });
});

describe('the gate and one-click unsubscribe', () => {
  it('blocks marketing mail without consent and records why, even when asked directly', async () => {
    const c = await newCustomer('no.consent@example.com');
    const res = await t.call('POST', `/customers/${c.id}/emails`, { role: 'marketer', body: { topic: 'newsletter', subject: 'Hi', text: 'Offer' } });
    expect(res.status).toBe(202);
    expect(res.json).toEqual({ outcome: 'blocked', reason: 'no_consent' });
    expect(await mailTo('no.consent@example.com')).toEqual([]);
    const timeline = (await t.call('GET', `/customers/${c.id}/timeline`)).json.items;
    expect(timeline[0]).toMatchObject({ kind: 'email', type: 'email_blocked', data: { reason: 'no_consent' } });
    expect((await t.call('POST', `/customers/${c.id}/emails`, { role: 'agent', body: { topic: 'newsletter', subject: 'Hi', text: 'x' } })).status).toBe(403);
  });

  it('sends personalised marketing mail with List-Unsubscribe headers, and unsubscribes in one click', async () => {
    const c = await newCustomer('fan@example.com', { firstName: 'Fan <b>' });
    await t.call('POST', `/customers/${c.id}/consents`, { role: 'admin', body: { topic: 'newsletter', action: 'grant', legalBasis: 'consent', proof: 'import-1' } });
    const sent = await t.call('POST', `/customers/${c.id}/emails`, {
      role: 'marketer',
      body: { topic: 'newsletter', subject: 'Hello {{firstName}}', text: 'Dear {{firstName}}, news.', html: '<p>Dear {{firstName}}</p>' },
    });
    expect(sent.json.outcome).toBe('sent');
    const [mail] = await mailTo('fan@example.com');
    expect(mail!.subject).toBe('Hello Fan <b>');
    expect(mail!.body.html).toContain('Dear Fan &lt;b&gt;');
    const headers = Object.fromEntries((mail!.headers ?? []).map((h) => [h.name, h.value]));
    expect(headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    const unsubscribe = linkIn(mail!, '/unsubscribe');
    expect(headers['List-Unsubscribe']).toBe(`<${unsubscribe.href}>`);
    expect(mail!.body.text!.trimEnd().endsWith(unsubscribe.href)).toBe(true);

    const pageRes = await fetch(unsubscribe);
    expect(pageRes.status).toBe(200);
    expect(await pageRes.text()).toContain('Unsubscribe from all');
    expect(await state(c.id, 'newsletter')).toBe('subscribed'); // GET alone changes nothing

    const oneClick = await fetch(unsubscribe, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(oneClick.status).toBe(200);
    expect(await state(c.id, 'newsletter')).toBe('unsubscribed');
    expect((await fetch(unsubscribe, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' })).status).toBe(200);
    const again = await t.call('POST', `/customers/${c.id}/emails`, { role: 'marketer', body: { topic: 'newsletter', subject: 'x', text: 'y' } });
    expect(again.json).toEqual({ outcome: 'blocked', reason: 'no_consent' });
    expect((await fetch(new URL('/unsubscribe?token=forged.token', unsubscribe), { method: 'POST', body: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status).toBe(400);
  });

  it('"unsubscribe from all" withdraws every marketing topic', async () => {
    const c = await newCustomer('all@example.com');
    for (const topic of ['newsletter', 'product-news']) await t.call('POST', `/customers/${c.id}/consents`, { role: 'admin', body: { topic, action: 'grant', legalBasis: 'consent', proof: 'p' } });
    await t.call('POST', `/customers/${c.id}/emails`, { role: 'marketer', body: { topic: 'newsletter', subject: 's', text: 't' } });
    const link = linkIn((await mailTo('all@example.com'))[0]!, '/unsubscribe');
    await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'scope=all' });
    expect(await state(c.id, 'newsletter')).toBe('unsubscribed');
    expect(await state(c.id, 'product-news')).toBe('unsubscribed');
  });
});

describe('no header injection', () => {
  it('refuses a subject with CR/LF (400) and keeps CR/LF from stored names and case subjects out of the headers SES gets', async () => {
    const c = await newCustomer('eve@example.com', { firstName: 'Eve\r\nBcc: victim@example.net' });
    await t.call('POST', `/customers/${c.id}/consents`, { role: 'admin', body: { topic: 'newsletter', action: 'grant', legalBasis: 'consent', proof: 'p' } });
    const refused = await t.call('POST', `/customers/${c.id}/emails`, { role: 'marketer', body: { topic: 'newsletter', subject: 'Hi\r\nBcc: victim@example.net', text: 't' } });
    expect(refused.status).toBe(400);
    expect(refused.json.errors.map((e: { path: string }) => e.path)).toEqual(['subject']);

    const sent = await t.call('POST', `/customers/${c.id}/emails`, { role: 'marketer', body: { topic: 'newsletter', subject: 'Hi {{firstName}}', text: 'Dear {{firstName}}' } });
    expect(sent.json.outcome).toBe('sent');
    const [mail] = await mailTo('eve@example.com');
    expect(mail!.subject).toBe('Hi Eve Bcc: victim@example.net');
    expect((mail!.headers ?? []).map((h) => h.name).sort()).toEqual(['List-Unsubscribe', 'List-Unsubscribe-Post']);
    expect(JSON.stringify([mail!.subject, mail!.headers, mail!.destination])).not.toMatch(/\\[rn]/);
    expect((await emails()).some((e) => JSON.stringify(e.destination).includes('victim@example.net'))).toBe(false);

    await t.call('PUT', '/queues/inject', { role: 'admin', body: { members: [], managers: ['inject-boss@managers.test'] } });
    const opened = await t.call('POST', '/cases', { body: { customerId: c.id, subject: 'Printer\r\nBcc: victim@example.net', channel: 'email', queue: 'inject', priority: 'urgent' } });
    expect(opened.status).toBe(201);
    const [notice] = await mailsTo('inject-boss@managers.test');
    expect(notice!.subject).toBe(`[Urgent] ${opened.json.number}: Printer Bcc: victim@example.net`);
    expect((await emails()).some((e) => JSON.stringify(e.destination).includes('victim@example.net'))).toBe(false);
  });
});

describe('self-service preferences', () => {
  it('lets a customer start a double opt-in (not a direct subscribe) and withdraw', async () => {
    const c = await newCustomer('self@example.com');
    const token = await t.token('customer', c.id);
    const put = await t.call('PUT', '/me/consents', { role: null, headers: { authorization: `Bearer ${token}` }, body: { topics: { newsletter: true } } });
    expect(put.status).toBe(200);
    expect(put.json.topics.newsletter).toBe(true);
    expect(await state(c.id, 'newsletter')).toBe('pending');
    expect(await mailsTo('self@example.com')).toHaveLength(1);

    const mine = await t.call('GET', '/me/consents', { role: null, headers: { authorization: `Bearer ${token}` } });
    expect(mine.json).toEqual({ topics: { newsletter: true, 'product-news': false, account: false } });
    const same = await t.call('PUT', '/me/consents', { role: null, headers: { authorization: `Bearer ${token}` }, body: mine.json }); // GET's answer, as is
    expect(same.status).toBe(200);
    expect(same.json).toEqual(mine.json);
    await t.runtime.idle();
    expect(await mailTo('self@example.com')).toHaveLength(1); // no second opt-in

    await t.call('PUT', '/me/consents', { role: null, headers: { authorization: `Bearer ${token}` }, body: { topics: { newsletter: false } } });
    expect(await state(c.id, 'newsletter')).toBe('unsubscribed');
    expect((await t.call('GET', '/me/consents', { role: 'agent' })).status).toBe(403);
  });
});

describe('SES feedback and suppression', () => {
  it('suppresses a hard-bounced address for all email (simulator bounce@, also with +label)', async () => {
    const c = await newCustomer('bounce+t1@simulator.amazonses.com');
    await t.call('POST', `/customers/${c.id}/consents`, { body: { topic: 'newsletter', action: 'request' } });
    await t.runtime.idle();
    const suppressed = await eventually(async () => {
      const list = (await t.call('GET', '/suppressions', { role: 'admin' })).json.items;
      return list.find((s: { email: string }) => s.email === 'bounce+t1@simulator.amazonses.com');
    });
    expect(suppressed.reason).toBe('bounce');
    const again = await t.call('POST', `/customers/${c.id}/consents`, { body: { topic: 'product-news', action: 'request' } });
    expect(again.json.confirmation).toBe('queued');
    await t.runtime.idle();
    expect((await mailTo('bounce+t1@simulator.amazonses.com')).length).toBe(1);
    const blocked = (await t.call('GET', `/customers/${c.id}/export`, { role: 'admin' })).json.emails.filter((e: { type: string }) => e.type === 'email_blocked');
    expect(blocked.map((e: { data: { reason: string } }) => e.data.reason)).toEqual(['suppressed']);
    expect((await t.call('DELETE', `/suppressions/${encodeURIComponent('bounce+t1@simulator.amazonses.com')}`, { role: 'admin' })).status).toBe(204);
    expect((await t.call('DELETE', `/suppressions/${encodeURIComponent('bounce+t1@simulator.amazonses.com')}`, { role: 'admin' })).status).toBe(404);
    expect((await t.call('GET', '/suppressions', { role: 'marketer' })).status).toBe(403);
  });

  it('a complaint suppresses the address and withdraws every marketing topic', async () => {
    const c = await newCustomer('complaint@simulator.amazonses.com');
    await t.call('POST', `/customers/${c.id}/consents`, { role: 'admin', body: { topic: 'newsletter', action: 'grant', legalBasis: 'consent', proof: 'p' } });
    await t.call('POST', `/customers/${c.id}/consents`, { role: 'admin', body: { topic: 'product-news', action: 'grant', legalBasis: 'consent', proof: 'p' } });
    expect((await t.call('POST', `/customers/${c.id}/emails`, { role: 'marketer', body: { topic: 'newsletter', subject: 's', text: 't' } })).json.outcome).toBe('sent');
    await t.runtime.idle();
    await eventually(async () => ((await state(c.id, 'product-news')) === 'unsubscribed' ? true : undefined));
    expect(await state(c.id, 'newsletter')).toBe('unsubscribed');
    const ledger = (await t.call('GET', `/customers/${c.id}/consents`)).json.ledger;
    expect(ledger.filter((e: { source: string }) => e.source === 'ses_feedback')).toHaveLength(2);
    const blocked = await t.call('POST', `/customers/${c.id}/emails`, { role: 'marketer', body: { topic: 'newsletter', subject: 's', text: 't' } });
    expect(blocked.json.outcome).toBe('blocked');
    const events = (await t.call('GET', '/_local/events?limit=500', { role: null })).json.items.map((e: { detailType: string }) => e.detailType);
    expect(events).toEqual(expect.arrayContaining(['EmailComplained', 'EmailSuppressed', 'ConsentWithdrawn', 'EmailSent']));
  });

  it('blocks mail to an erased customer and keeps only anonymous proof of consent', async () => {
    const c = await newCustomer('gone@example.com');
    await t.call('POST', `/customers/${c.id}/consents`, { body: { topic: 'newsletter', action: 'request', ip: '198.51.100.9', userAgent: 'UA-zz-unique' } });
    expect((await t.call('DELETE', `/customers/${c.id}`, { role: 'admin', headers: { 'if-match': `"${c.version}"` } })).status).toBe(204);
    const res = await t.call('POST', `/customers/${c.id}/emails`, { role: 'marketer', body: { topic: 'newsletter', subject: 's', text: 't' } });
    expect(res.json).toEqual({ outcome: 'blocked', reason: 'erased' });
    await t.runtime.idle();
    await eventually(async () => {
      const { DynamoDBClient, ScanCommand } = await import('@aws-sdk/client-dynamodb');
      const { LOCAL_AWS } = await import('../../infra/local/dynamodb-local.ts');
      const raw = new DynamoDBClient({ endpoint: t.runtime.dynamodbEndpoint, ...LOCAL_AWS });
      const text = JSON.stringify((await raw.send(new ScanCommand({ TableName: t.runtime.tableName }))).Items);
      raw.destroy();
      return !text.includes('UA-zz-unique') && !text.includes('198.51.100.9') && text.includes(`CONSENT#${c.id}`) ? true : undefined;
    });
  });
});

describe('mail caused by an event survives an SES outage: sent once SES is back, exactly once, recorded once', () => {
  // Long enough for the old bus to have given up (three tries within a second) several times over.
  const OUTAGE_MS = 2_500;
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('an opt-in requested while SES is down stays pending with its mail on the way, and the mail arrives once SES is back', async () => {
    const c = await newCustomer('ses.outage@example.com');
    await t.runtime.sesOutage.stop();
    try {
      const res = await t.call('POST', `/customers/${c.id}/consents`, { body: { topic: 'newsletter', action: 'request' } });
      expect(res.status).toBe(202);
      expect(res.json).toMatchObject({ state: 'pending', confirmation: 'queued' });
      await pause(OUTAGE_MS);
    } finally {
      await t.runtime.sesOutage.restart();
    }
    const [mail] = await mailsTo('ses.outage@example.com');
    await t.runtime.idle();
    expect(await mailTo('ses.outage@example.com')).toHaveLength(1);
    const exported = (await t.call('GET', `/customers/${c.id}/export`, { role: 'admin' })).json;
    expect(exported.emails.map((e: { type: string }) => e.type)).toEqual(['email_sent']);
    const events = (await t.call('GET', '/_local/events?limit=500', { role: null })).json.items;
    expect(events.filter((e: { detailType: string; detail: { data: { customerId?: string } } }) => e.detailType === 'EmailSent' && e.detail.data.customerId === c.id)).toHaveLength(1);
    expect((await confirm(linkIn(mail!, '/optin/confirm'))).status).toBe(200);
    expect(await state(c.id, 'newsletter')).toBe('subscribed');
  });

  it('a case escalated while SES is down: its managers get exactly one notice once SES is back', async () => {
    await t.call('PUT', '/queues/outage', { role: 'admin', body: { members: [], managers: ['outage-boss@managers.test'], escalateTo: 'outage-tier2' } });
    await t.call('PUT', '/queues/outage-tier2', { role: 'admin', body: { members: [], managers: ['outage-tier2@managers.test'] } });
    const customer = await newCustomer('case.outage@example.com');
    // Default policy: an urgent case's first response is due in 60 minutes, around the clock.
    const opened = await t.call('POST', '/cases', { body: { customerId: customer.id, subject: 'Down during an outage', channel: 'email', queue: 'outage', priority: 'urgent' } });
    expect(opened.status).toBe(201);
    await t.runtime.idle();
    const escalations = async () => (await emails()).filter((e) => e.subject.startsWith('[Escalated') && e.subject.includes(`${opened.json.number}:`));

    await t.runtime.sesOutage.stop();
    let advancing: Promise<unknown> | undefined;
    try {
      // Not awaited: the clock endpoint waits until every delivery is done, and this one waits for SES.
      advancing = t.call('POST', '/_local/clock/advance', { role: null, body: { seconds: 61 * 60 } });
      await pause(OUTAGE_MS);
    } finally {
      await t.runtime.sesOutage.restart();
    }
    await advancing;
    await t.runtime.idle();
    expect((await t.call('GET', `/cases/${opened.json.id}`)).json.escalationLevel).toBe(1);
    const mails = await escalations();
    expect(mails).toHaveLength(1);
    expect(mails[0]!.destination.to.sort()).toEqual(['outage-boss@managers.test', 'outage-tier2@managers.test']);
  });
});
