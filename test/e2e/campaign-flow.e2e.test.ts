import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

// Issue 10 end to end, every part real: segments, the campaign API, EventBridge Scheduler and the
// per-campaign rule (the local scheduler and bus), the durable audience scan on the table stream,
// the paced sender through the consent gate into the local SES, its feedback, the report.

let t: TestRuntime;
const ADMIN = { role: 'admin' as const };
const MARKETER = { role: 'marketer' as const };

interface StoredEmail {
  messageId: string;
  subject: string;
  destination: { to: string[] };
  headers?: { name: string; value: string }[];
  body: { text?: string };
}
const inbox = async () => ((await (await fetch(`${t.runtime.sesUrl}/store`)).json()) as { emails: StoredEmail[] }).emails;
const mailTo = async (address: string) => (await inbox()).filter((e) => e.destination.to.includes(address));

async function customer(email: string, tier: string, options: { consent?: boolean; firstName?: string } = {}) {
  const created = await t.call('POST', '/customers', { body: { email, firstName: options.firstName ?? 'Pat', attributes: { tier } } });
  expect(created.status, created.text).toBe(201);
  const id = created.json.id as string;
  if (options.consent !== false) {
    const granted = await t.call('POST', `/customers/${id}/consents`, { ...ADMIN, body: { topic: 'news', action: 'grant', legalBasis: 'consent', proof: 'signup-form' } });
    expect(granted.status, granted.text).toBe(200);
  }
  return id;
}

async function advance(seconds: number) {
  const res = await fetch(`${t.runtime.url}/_local/clock/advance`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ seconds }) });
  expect(res.status).toBe(200);
  await t.runtime.idle();
}

beforeAll(async () => {
  t = await startTestRuntime();
  const topics = await t.call('PUT', '/topics', { ...ADMIN, body: [{ id: 'news', name: 'News', purpose: 'marketing' }] });
  expect(topics.status).toBe(200);
});
afterAll(async () => {
  await t?.runtime.stop();
});

describe('a scheduled campaign', () => {
  it('starts at its time, sends once to each consenting member of the segment as it is then, holds, blocks and reports the rest', async () => {
    const ada = await customer('ada.flow@example.com', 'gold', { firstName: 'Ada' });
    const bob = await customer('bob.flow@example.com', 'gold');
    const cy = await customer('cy.flow@example.com', 'gold', { consent: false });
    const dee = await customer('bounce+flow@simulator.amazonses.com', 'gold');
    const eve = await customer('eve.flow@example.com', 'silver');
    const fay = await customer('fay.flow@example.com', 'silver');
    const urgent = await t.call('POST', '/cases', { body: { customerId: bob, subject: 'Broken', channel: 'email', priority: 'urgent' } });
    expect(urgent.status, urgent.text).toBe(201);

    const segment = await t.call('POST', '/segments', { ...MARKETER, body: { name: 'Gold', rule: { field: 'attributes.tier', op: 'eq', value: 'gold' } } });
    expect(segment.status, segment.text).toBe(201);
    const at = new Date(t.runtime.clock.now().getTime() + 3600_000).toISOString();
    const created = await t.call('POST', '/campaigns', {
      ...MARKETER,
      body: {
        name: 'Gold news',
        topic: 'news',
        template: { subject: 'News for {{firstName|you}}', text: 'Hello {{firstName|there}}, {{attributes.tier}} member.', html: '<p>Hello {{firstName}}</p>' },
        audience: { segmentId: segment.json.id },
        schedule: { at },
        holdIfOpenCase: 'urgent',
      },
    });
    expect(created.status, created.text).toBe(201);
    const id = created.json.id as string;
    expect((await t.call('POST', `/campaigns/${id}/schedule`, MARKETER)).json.status).toBe('scheduled');

    // Fay joins the segment after it was scheduled and before it starts: the segment counts as it is at the start.
    const fayNow = await t.call('GET', `/customers/${fay}`);
    const patched = await t.call('PATCH', `/customers/${fay}`, { body: { attributes: { tier: 'gold' } }, headers: { 'if-match': fayNow.headers.get('etag')!, 'content-type': 'application/merge-patch+json' } });
    expect(patched.status, patched.text).toBe(200);

    await advance(30 * 60);
    expect((await t.call('GET', `/campaigns/${id}`, MARKETER)).json.status).toBe('scheduled');
    expect(await mailTo('ada.flow@example.com')).toEqual([]);

    await advance(31 * 60);
    const done = await eventually(async () => {
      const c = await t.call('GET', `/campaigns/${id}`, MARKETER);
      return c.json.status === 'completed' ? c.json : undefined;
    }, 60_000);
    expect(done.startedAt).not.toBeNull();

    const adaMail = await mailTo('ada.flow@example.com');
    expect(adaMail.map((m) => m.subject)).toEqual(['News for Ada']);
    const headers = Object.fromEntries((adaMail[0]!.headers ?? []).map((h) => [h.name, h.value]));
    expect(headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect(headers['List-Unsubscribe']).toMatch(/^<http:\/\/127\.0\.0\.1:\d+\/unsubscribe\?token=/);
    expect(adaMail[0]!.body.text).toContain('Hello Ada, gold member.');
    expect(adaMail[0]!.body.text).toMatch(/Unsubscribe: http:\/\/127\.0\.0\.1:\d+\/unsubscribe\?token=/);
    expect(await mailTo('fay.flow@example.com')).toHaveLength(1);
    expect(await mailTo('bounce+flow@simulator.amazonses.com')).toHaveLength(1);
    for (const nobody of ['bob.flow@example.com', 'cy.flow@example.com', 'eve.flow@example.com']) expect(await mailTo(nobody), nobody).toEqual([]);

    const report = await eventually(async () => {
      const r = (await t.call('GET', `/campaigns/${id}/report`, MARKETER)).json;
      return r.bounced === 1 && r.delivered === 2 ? r : undefined;
    }, 30_000);
    expect(report).toEqual({ targeted: 5, sent: 3, blocked: { no_consent: 1 }, held: 1, capped: 0, failed: 0, delivered: 2, bounced: 1, complained: 0, unsubscribed: 0 });

    const held = await t.call('GET', `/campaigns/${id}/recipients?outcome=held`, MARKETER);
    expect(held.json.items).toEqual([expect.objectContaining({ customerId: bob, outcome: 'held', reason: 'open_case' })]);
    const blocked = await t.call('GET', `/campaigns/${id}/recipients?outcome=blocked`, MARKETER);
    expect(blocked.json.items).toEqual([expect.objectContaining({ customerId: cy, reason: 'no_consent' })]);
    const sent = await t.call('GET', `/campaigns/${id}/recipients?outcome=sent`, MARKETER);
    expect(sent.json.items.map((r: { customerId: string }) => r.customerId).sort()).toEqual([ada, dee, fay].sort());
    expect(eve).toBeTruthy();

    // The customer's timeline shows the campaign email; the events went out.
    const timeline = await t.call('GET', `/customers/${ada}/timeline`, ADMIN);
    expect(timeline.json.items).toContainEqual(expect.objectContaining({ kind: 'email', type: 'email_sent', data: expect.objectContaining({ campaignId: id }) }));
    const events = (await t.call('GET', '/_local/events?limit=500', { role: null })).json.items as { detailType: string; detail: { data?: { campaignId?: string } } }[];
    const mine = events.filter((e) => e.detail.data?.campaignId === id).map((e) => e.detailType);
    expect(mine.filter((d) => d === 'CampaignMessageSent')).toHaveLength(3);
    for (const type of ['CampaignScheduled', 'CampaignStarted', 'CampaignCompleted']) expect(mine, type).toContain(type);

    // Nothing is sent twice: time goes on, the scheduler has nothing left for it.
    const before = (await inbox()).length;
    await advance(3 * 3600);
    expect((await inbox()).filter((e) => ['ada.flow@example.com', 'fay.flow@example.com'].some((a) => e.destination.to.includes(a)))).toHaveLength(2);
    expect((await inbox()).length).toBeGreaterThanOrEqual(before);
    expect((await t.call('GET', `/campaigns/${id}/report`, MARKETER)).json.sent).toBe(3);
  });
});

describe('a triggered campaign', () => {
  it('reacts through its own rule to a matching purchase of a segment member, once per customer, after its delay, and not while paused', async () => {
    const gus = await customer('gus.flow@example.com', 'vip', { firstName: 'Gus' });
    const hal = await customer('hal.flow@example.com', 'vip');
    const ivy = await customer('ivy.flow@example.com', 'basic');
    const segment = await t.call('POST', '/segments', { ...MARKETER, body: { name: 'VIP', rule: { field: 'attributes.tier', op: 'eq', value: 'vip' } } });
    const created = await t.call('POST', '/campaigns', {
      ...MARKETER,
      body: {
        name: 'Thanks for buying',
        topic: 'news',
        template: { subject: 'Thank you {{firstName|friend}}', text: 'Enjoy your {{attributes.tier}} perks.' },
        audience: { segmentId: segment.json.id },
        trigger: { event: 'InteractionRecorded', where: { type: 'purchase', 'data.sku': 'GOLD-1' }, delayMinutes: 10 },
      },
    });
    expect(created.status, created.text).toBe(201);
    const id = created.json.id as string;
    expect((await t.call('POST', `/campaigns/${id}/activate`, MARKETER)).json.status).toBe('active');

    const buy = (customerId: string, sku: string, type = 'purchase') =>
      t.call('POST', `/customers/${customerId}/interactions`, { body: { channel: 'store', type, data: { sku }, value: { amount: 10, currency: 'EUR' } } });
    expect((await buy(gus, 'GOLD-1')).status).toBe(201);
    expect((await buy(gus, 'GOLD-1')).status).toBe(201); // a second matching purchase: still one message
    expect((await buy(hal, 'OTHER')).status).toBe(201); // data.sku does not match
    expect((await buy(hal, 'GOLD-1', 'page_view')).status).toBe(201); // type does not match
    expect((await buy(ivy, 'GOLD-1')).status).toBe(201); // not in the segment
    await t.runtime.idle();
    expect(await mailTo('gus.flow@example.com')).toEqual([]); // the delay has not passed

    await advance(11 * 60);
    await eventually(async () => ((await mailTo('gus.flow@example.com')).length === 1 ? true : undefined), 30_000);
    expect((await mailTo('gus.flow@example.com'))[0]!.subject).toBe('Thank you Gus');
    await advance(30 * 60);
    expect(await mailTo('gus.flow@example.com')).toHaveLength(1);
    expect(await mailTo('hal.flow@example.com')).toEqual([]);
    expect(await mailTo('ivy.flow@example.com')).toEqual([]);

    // Paused: the rule is gone, a matching purchase sends nothing, even after resume.
    expect((await t.call('POST', `/campaigns/${id}/pause`, MARKETER)).json.status).toBe('paused');
    expect((await buy(hal, 'GOLD-1')).status).toBe(201);
    await advance(15 * 60);
    expect(await mailTo('hal.flow@example.com')).toEqual([]);
    expect((await t.call('POST', `/campaigns/${id}/resume`, MARKETER)).json.status).toBe('active');
    expect((await buy(hal, 'GOLD-1')).status).toBe(201);
    await advance(11 * 60);
    await eventually(async () => ((await mailTo('hal.flow@example.com')).length === 1 ? true : undefined), 30_000);

    const report = (await t.call('GET', `/campaigns/${id}/report`, MARKETER)).json;
    expect(report).toMatchObject({ targeted: 2, sent: 2, held: 0, capped: 0, failed: 0 });
    expect((await t.call('GET', `/campaigns/${id}`, MARKETER)).json.status).toBe('active');
  });
});
