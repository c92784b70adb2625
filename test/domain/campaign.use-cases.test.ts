import { beforeEach, describe, expect, it } from 'vitest';
import { campaignUseCases, type CampaignUseCases, startScheduleName } from '#domain/campaigns/campaign.use-cases.ts';
import type { CampaignInput } from '#domain/campaigns/campaign.schema.ts';
import { StaleVersionError } from '#domain/shared/errors.ts';
import { tokenSigner } from '../../functions/shared/hmac-tokens.ts';
import { fakeCampaignControl, type FakeCampaignRepository, fakeCampaignRepository } from '../support/campaign-fakes.ts';
import { type FakeEmailSender, fakeEmailSender } from '../support/case-fakes.ts';
import { type FakeClock, fakeClock, sequentialIds } from '../support/fakes.ts';

const CTX = { correlationId: 'test' };
const BASE = 'https://crm.test';
const INPUT: CampaignInput = {
  name: 'Spring',
  topic: 'news',
  template: { subject: 'Hi {{firstName|there}}', text: 'Hello {{firstName|there}}, your plan: {{attributes.plan|none}}', html: '<p>{{firstName}}</p>' },
  audience: { segmentId: 'seg-1' },
};
const TOPICS = [
  { id: 'news', name: 'News', description: 'Offers', purpose: 'marketing' as const },
  { id: 'billing', name: 'Billing', description: 'Bills', purpose: 'service' as const },
];
const ADA = { email: 'ada@example.com', firstName: '<Ada>', lastName: null, attributes: { plan: 'pro' } };
const tokens = tokenSigner('unit-test-secret-0123456789abcdefghij');

let repo: FakeCampaignRepository;
let control: ReturnType<typeof fakeCampaignControl>;
let mailer: FakeEmailSender;
let clock: FakeClock;
let campaigns: CampaignUseCases;

beforeEach(() => {
  repo = fakeCampaignRepository({ topics: TOPICS, segments: ['seg-1'], people: { 'cust-1': ADA } });
  control = fakeCampaignControl();
  mailer = fakeEmailSender();
  clock = fakeClock('2026-03-01T10:00:00.000Z');
  campaigns = campaignUseCases({ campaigns: repo, ...control, mailer, tokens, clock, ids: sequentialIds('cmp') });
});

const LATER = '2026-03-02T10:00:00.000Z';
const TRIGGER = { event: 'InteractionRecorded' as const, where: { type: 'purchase', 'data.sku': 'A-1' } };

describe('creating', () => {
  it('stores a draft; 422 for an unknown segment, an unknown topic, a topic not for marketing', async () => {
    const c = await campaigns.create(INPUT, CTX);
    expect(await repo.get(c.id)).toEqual(c);
    await expect(campaigns.create({ ...INPUT, audience: { segmentId: 'nope' } }, CTX)).rejects.toMatchObject({ code: 'unknown-segment', kind: 'unprocessable' });
    await expect(campaigns.create({ ...INPUT, topic: 'nope' }, CTX)).rejects.toMatchObject({ code: 'unknown-topic' });
    await expect(campaigns.create({ ...INPUT, topic: 'billing' }, CTX)).rejects.toMatchObject({ kind: 'unprocessable', message: expect.stringContaining('marketing') });
    expect(repo.commits).toHaveLength(1);
  });

  it('validation comes before any read (400 naming the field)', async () => {
    await expect(campaigns.create({ ...INPUT, topic: 'nope', template: { subject: '{{x}}', text: 't' } }, CTX)).rejects.toMatchObject({ kind: 'validation', issues: [{ path: 'template.subject' }] });
  });
});

describe('the control ports', () => {
  it('schedule: the one-off schedule first (name, time, starter, campaign id), then status scheduled with CampaignScheduled', async () => {
    const c = await campaigns.create(INPUT, CTX);
    const scheduled = await campaigns.schedule(c.id, LATER, undefined, CTX);
    expect(scheduled).toMatchObject({ status: 'scheduled', schedule: { at: LATER } });
    expect(control.calls).toEqual([{ port: 'schedules', op: 'at', name: startScheduleName(c.id), at: LATER, target: 'campaignStarter', input: { campaignId: c.id, at: LATER } }]);
    expect(repo.commits.at(-1)!.events.map((e) => e.definition.detailType)).toEqual(['CampaignScheduled']);
  });

  it('a schedule created before a failed commit leaves the campaign as it was (the starter then does nothing)', async () => {
    const c = await campaigns.create(INPUT, CTX);
    repo.loseNextRace();
    await expect(campaigns.schedule(c.id, LATER, 1, CTX)).rejects.toBeInstanceOf(StaleVersionError);
    expect(control.calls.map((call) => call.op)).toEqual(['at']);
    expect((await repo.get(c.id))!.status).toBe('draft');
  });

  it('activate: the rule with the pattern first, then active; pause disables it after the commit, resume enables it again', async () => {
    const c = await campaigns.create({ ...INPUT, trigger: TRIGGER }, CTX);
    await campaigns.activate(c.id, undefined, CTX);
    const pattern = { source: ['crm.customers'], 'detail-type': ['InteractionRecorded'], detail: { data: { type: ['purchase'] } } };
    expect(control.calls).toEqual([{ port: 'triggers', op: 'enable', campaignId: c.id, pattern }]);
    const paused = await campaigns.pause(c.id, undefined, CTX);
    expect(paused).toMatchObject({ status: 'paused', pausedFrom: 'active' });
    expect(repo.commits.at(-1)!.events.map((e) => e.definition.detailType)).toEqual(['CampaignPaused']);
    expect(control.calls.at(-1)).toEqual({ port: 'triggers', op: 'disable', campaignId: c.id });
    expect((await campaigns.resume(c.id, undefined, CTX)).status).toBe('active');
    expect(control.calls.at(-1)).toEqual({ port: 'triggers', op: 'enable', campaignId: c.id, pattern });
    await campaigns.cancel(c.id, undefined, CTX);
    expect(control.calls.at(-1)).toEqual({ port: 'triggers', op: 'disable', campaignId: c.id });
  });

  it('pause and cancel of a scheduled campaign cancel its schedule; resume after its time schedules it for now', async () => {
    const c = await campaigns.create(INPUT, CTX);
    await campaigns.schedule(c.id, LATER, undefined, CTX);
    await campaigns.pause(c.id, undefined, CTX);
    expect(control.calls.at(-1)).toEqual({ port: 'schedules', op: 'cancel', name: startScheduleName(c.id) });
    clock.set('2026-03-03T00:00:00.000Z');
    const resumed = await campaigns.resume(c.id, undefined, CTX);
    expect(resumed).toMatchObject({ status: 'scheduled', schedule: { at: '2026-03-03T00:00:00.000Z' } });
    expect(control.calls.at(-1)).toMatchObject({ port: 'schedules', op: 'at', at: '2026-03-03T00:00:00.000Z', target: 'campaignStarter' });
    await campaigns.cancel(c.id, undefined, CTX);
    expect(control.calls.at(-1)).toEqual({ port: 'schedules', op: 'cancel', name: startScheduleName(c.id) });
  });

  it('resuming a running campaign hands its parked batches back after the commit; pausing it touches no schedule or rule', async () => {
    const c = await campaigns.create(INPUT, CTX);
    await campaigns.schedule(c.id, LATER, undefined, CTX);
    repo.setStatus(c.id, 'running'); // the starter
    const before = control.calls.length;
    expect(await campaigns.pause(c.id, undefined, CTX)).toMatchObject({ status: 'paused', pausedFrom: 'running' });
    expect(control.calls.length).toBe(before);
    expect((await campaigns.resume(c.id, undefined, CTX)).status).toBe('running');
    expect(control.calls.slice(before)).toEqual([{ port: 'sending', op: 'resume', campaignId: c.id }]);
  });

  it('patch: a new time reschedules a scheduled campaign, a new trigger replaces an active rule', async () => {
    const s = await campaigns.create(INPUT, CTX);
    await campaigns.schedule(s.id, LATER, undefined, CTX);
    await campaigns.patch(s.id, { schedule: { at: '2026-03-04T00:00:00.000Z' } }, undefined, CTX);
    expect(control.calls.at(-1)).toMatchObject({ port: 'schedules', op: 'at', name: startScheduleName(s.id), at: '2026-03-04T00:00:00.000Z' });
    const a = await campaigns.create({ ...INPUT, trigger: TRIGGER }, CTX);
    await campaigns.activate(a.id, undefined, CTX);
    await campaigns.patch(a.id, { trigger: { event: 'CaseStatusChanged', where: { to: 'solved' } } }, undefined, CTX);
    expect(control.calls.at(-1)).toEqual({ port: 'triggers', op: 'enable', campaignId: a.id, pattern: { source: ['crm.cases'], 'detail-type': ['CaseStatusChanged'], detail: { data: { to: ['solved'] } } } });
    const calls = control.calls.length;
    await campaigns.patch(a.id, { name: 'Only the name' }, undefined, CTX);
    expect(control.calls.length).toBe(calls);
  });

  it('patch checks a new topic or segment (422), and a stale If-Match is a 412', async () => {
    const c = await campaigns.create(INPUT, CTX);
    await expect(campaigns.patch(c.id, { audience: { segmentId: 'gone' } }, undefined, CTX)).rejects.toMatchObject({ code: 'unknown-segment' });
    await expect(campaigns.patch(c.id, { topic: 'billing' }, undefined, CTX)).rejects.toMatchObject({ kind: 'unprocessable' });
    await expect(campaigns.patch(c.id, { name: 'x' }, 7, CTX)).rejects.toMatchObject({ code: 'stale-version' });
    expect((await campaigns.patch(c.id, { name: 'x' }, 1, CTX)).version).toBe(2);
  });

  it('a status moved by another writer meanwhile is not overwritten: the move is retried on the new state', async () => {
    const c = await campaigns.create(INPUT, CTX);
    await campaigns.schedule(c.id, LATER, undefined, CTX);
    repo.setStatus(c.id, 'running');
    await expect(campaigns.patch(c.id, { name: 'x' }, undefined, CTX)).rejects.toMatchObject({ code: 'campaign-state' });
    repo.loseNextRace();
    expect(await campaigns.cancel(c.id, undefined, CTX)).toMatchObject({ status: 'cancelled' });
  });
});

describe('preview and test messages', () => {
  it('preview renders for one customer, escaped in HTML, with an unsubscribe link naming the campaign; 422 for an unknown customer', async () => {
    const c = await campaigns.create(INPUT, CTX);
    const message = await campaigns.preview(c.id, 'cust-1', BASE);
    expect(message.to).toBe('ada@example.com');
    expect(message.subject).toBe('Hi <Ada>');
    expect(message.text).toContain('your plan: pro');
    expect(message.html).toContain('<p>&lt;Ada&gt;</p>');
    const token = decodeURIComponent(/unsubscribe\?token=(\S+)/.exec(message.text)![1]!);
    expect(await tokens.verify(token, clock.now())).toMatchObject({ purpose: 'unsubscribe', customerId: 'cust-1', topic: 'news', campaignId: c.id });
    await expect(campaigns.preview(c.id, 'nobody', BASE)).rejects.toMatchObject({ code: 'unknown-customer', kind: 'unprocessable' });
    expect(mailer.sent).toEqual([]);
  });

  it('a test message goes to the given address, marked [TEST], with defaults for the placeholders; refused for a suppressed address', async () => {
    const c = await campaigns.create(INPUT, CTX);
    const commits = repo.commits.length;
    expect(await campaigns.test(c.id, 'staff@company.test', BASE)).toEqual({ outcome: 'sent', messageId: 'msg-1' });
    expect(mailer.sent).toHaveLength(1);
    expect(mailer.sent[0]).toMatchObject({ to: ['staff@company.test'], subject: '[TEST] Hi there', kind: 'marketing' });
    expect(mailer.sent[0]!.text).toContain('Hello there, your plan: none');
    expect(mailer.sent[0]!.headers?.['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    repo.suppress('Blocked@Company.test');
    await expect(campaigns.test(c.id, 'blocked@company.test', BASE)).rejects.toMatchObject({ code: 'address-suppressed' });
    expect(mailer.sent).toHaveLength(1);
    expect(repo.commits.length).toBe(commits);
    expect(await campaigns.report(c.id)).toMatchObject({ sent: 0, targeted: 0 });
  });
});
