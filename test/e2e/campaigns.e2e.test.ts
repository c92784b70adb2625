import { DescribeRuleCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { GetScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignRuleName } from '../../functions/campaigns/campaign-triggers.ts';
import { scheduleNameFor } from '../../functions/shared/one-off-schedules.ts';
import { LOCAL_AWS } from '../../infra/local/dynamodb-local.ts';
import { localFunctionArn } from '../../infra/local/local-arns.ts';
import { addToReport, putRecipient, putSegment, setCampaignStatus } from '../support/campaign-fixtures.ts';
import { eventually, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

// The campaign API through the real local runtime (gateway, DynamoDB Local, stream, bus, local
// SES). States the starter and the sender would reach (running, completed, recipients, counters)
// are put straight into the table (test/support/campaign-fixtures.ts), so each case is set up at once. Rules and schedules are the real
// ones on the runtime's bus and scheduler, read back through the EventBridge and Scheduler APIs.

let t: TestRuntime;
let customerId: string;
const MARKETER = { role: 'marketer' as const };
const BODY = {
  name: 'Spring sale',
  topic: 'offers',
  template: { subject: 'Hi {{firstName|there}}', text: 'Dear {{firstName|customer}}, {{attributes.plan|no plan}}.', html: '<p>Dear {{firstName}}</p>' },
  audience: { segmentId: 'seg-e2e' },
};
const FUTURE = () => new Date(Date.now() + 24 * 3600_000).toISOString();

beforeAll(async () => {
  t = await startTestRuntime();
  await putSegment(t, 'seg-e2e');
  const topics = [
    { id: 'offers', name: 'Offers', purpose: 'marketing' },
    { id: 'invoices', name: 'Invoices', purpose: 'service' },
  ];
  expect((await t.call('PUT', '/topics', { role: 'admin', body: topics })).status).toBe(200);
  customerId = (await t.call('POST', '/customers', { body: { email: 'camila@example.com', firstName: 'Camila <3', attributes: { plan: 'gold' } } })).json.id;
});
afterAll(async () => {
  await t?.runtime.stop();
});

async function create(body: Record<string, unknown> = {}) {
  const res = await t.call('POST', '/campaigns', { ...MARKETER, body: { ...BODY, ...body } });
  expect(res.status, res.text).toBe(201);
  return res.json;
}
/** The campaign's start schedule on the runtime's scheduler, or undefined. */
async function startSchedule(id: string) {
  const scheduler = new SchedulerClient({ endpoint: t.runtime.campaignControl.schedules.scheduler!.endpoint as string, ...LOCAL_AWS });
  try {
    return await scheduler.send(new GetScheduleCommand({ Name: scheduleNameFor(`campaign-${id}`), GroupName: 'crm-schedules' }));
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') return undefined;
    throw error;
  } finally {
    scheduler.destroy();
  }
}
/** The pattern of the campaign's rule on the runtime's bus, or undefined. */
async function rulePattern(id: string) {
  const bus = new EventBridgeClient({ endpoint: t.runtime.campaignControl.eventBridge!.endpoint as string, ...LOCAL_AWS });
  try {
    const rule = await bus.send(new DescribeRuleCommand({ Name: campaignRuleName(id), EventBusName: 'crm' }));
    return JSON.parse(rule.EventPattern!) as unknown;
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') return undefined;
    throw error;
  } finally {
    bus.destroy();
  }
}
const post = (id: string, action: string, options: { body?: unknown; headers?: Record<string, string> } = {}) => t.call('POST', `/campaigns/${id}/${action}`, { ...MARKETER, ...options });
const emails = async () => ((await (await fetch(`${t.runtime.sesUrl}/store`)).json()) as { emails: { subject: string; destination: { to: string[] }; text?: string }[] }).emails;

describe('campaign resource', () => {
  it('creates a draft (201, Location, ETag), reads it, lists it newest first; agents may not', async () => {
    const c = await create();
    expect(c).toMatchObject({ status: 'draft', version: 1, topic: 'offers', schedule: null, trigger: null, pausedFrom: null });
    const got = await t.call('GET', `/campaigns/${c.id}`, MARKETER);
    expect(got.json).toEqual(c);
    expect(got.headers.get('etag')).toBe('"1"');
    const second = await create({ name: 'Second' });
    const page = await t.call('GET', '/campaigns?limit=1', { role: 'admin' });
    expect(page.json.items.map((i: { id: string }) => i.id)).toEqual([second.id]);
    const next = await t.call('GET', `/campaigns?limit=1&cursor=${page.json.nextCursor}`, { role: 'admin' });
    expect(next.json.items[0].id).toBe(c.id);
    expect((await t.call('GET', '/campaigns', { role: 'agent' })).status).toBe(403);
    expect((await t.call('POST', '/campaigns', { role: 'agent', body: BODY })).status).toBe(403);
    expect((await t.call('GET', '/campaigns/no-such-campaign', MARKETER)).status).toBe(404);
  });

  it('Idempotency-Key: a retry returns the first campaign and creates nothing', async () => {
    const headers = { 'idempotency-key': `camp-${Date.now()}` };
    const first = await t.call('POST', '/campaigns', { ...MARKETER, body: BODY, headers });
    const again = await t.call('POST', '/campaigns', { ...MARKETER, body: BODY, headers });
    expect(first.status).toBe(201);
    expect(again.json.id).toBe(first.json.id);
    expect((await t.call('POST', '/campaigns', { ...MARKETER, body: { ...BODY, name: 'Other' }, headers })).status).toBe(422);
  });

  it('400 naming the field, 422 for unknown references; nothing is stored', async () => {
    const before = (await t.call('GET', '/campaigns?limit=100', MARKETER)).json.items.length;
    const bad = await t.call('POST', '/campaigns', { ...MARKETER, body: { ...BODY, template: { subject: 'Hi {{frist}}', text: 'x' } } });
    expect(bad.status).toBe(400);
    expect(bad.json.errors.map((e: { path: string }) => e.path)).toEqual(['template.subject']);
    const both = await t.call('POST', '/campaigns', { ...MARKETER, body: { ...BODY, schedule: { at: FUTURE() }, trigger: { event: 'CustomerCreated' } } });
    expect(both.json.errors.map((e: { path: string }) => e.path)).toEqual(['trigger']);
    const where = await t.call('POST', '/campaigns', { ...MARKETER, body: { ...BODY, trigger: { event: 'CaseStatusChanged', where: { to: 'done', topic: 'x' } } } });
    expect(where.json.errors.map((e: { path: string }) => e.path)).toEqual(['trigger.where.to', 'trigger.where.topic']);
    const segment = await t.call('POST', '/campaigns', { ...MARKETER, body: { ...BODY, audience: { segmentId: 'nope' } } });
    expect([segment.status, segment.json.type]).toEqual([422, 'urn:ecrm:problem:unknown-segment']);
    const topic = await t.call('POST', '/campaigns', { ...MARKETER, body: { ...BODY, topic: 'nope' } });
    expect([topic.status, topic.json.type]).toEqual([422, 'urn:ecrm:problem:unknown-topic']);
    expect((await t.call('POST', '/campaigns', { ...MARKETER, body: { ...BODY, topic: 'invoices' } })).status).toBe(422);
    expect((await t.call('GET', '/campaigns?limit=100', MARKETER)).json.items.length).toBe(before);
  });

  it('PATCH: merge patch with If-Match (412 when stale), 409 campaign-state once running', async () => {
    const c = await create({ holdIfOpenCase: 'urgent' });
    const patched = await t.call('PATCH', `/campaigns/${c.id}`, { ...MARKETER, body: { name: 'Renamed', holdIfOpenCase: null }, headers: { 'content-type': 'application/merge-patch+json', 'if-match': '"1"' } });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.json).toMatchObject({ name: 'Renamed', holdIfOpenCase: null, version: 2 });
    expect(patched.headers.get('etag')).toBe('"2"');
    const stale = await t.call('PATCH', `/campaigns/${c.id}`, { ...MARKETER, body: { name: 'Again' }, headers: { 'if-match': '"1"' } });
    expect([stale.status, stale.json.type]).toEqual([412, 'urn:ecrm:problem:stale-version']);
    expect((await t.call('PATCH', `/campaigns/${c.id}`, { ...MARKETER, body: { status: 'running' } })).status).toBe(400);
    expect((await post(c.id, 'schedule', { body: { at: FUTURE() } })).status).toBe(200);
    await setCampaignStatus(t, c.id, 'running');
    const running = await t.call('PATCH', `/campaigns/${c.id}`, { ...MARKETER, body: { name: 'Too late' } });
    expect([running.status, running.json.type]).toEqual([409, 'urn:ecrm:problem:campaign-state']);
    expect((await t.call('GET', `/campaigns/${c.id}`, MARKETER)).json.name).toBe('Renamed');
  });
});

describe('life cycle through the control ports', () => {
  it('schedule -> pause -> resume -> cancel: the start schedule is created, cancelled, created again, cancelled; CampaignScheduled and CampaignPaused go out', async () => {
    const c = await create();
    const at = FUTURE();
    const scheduled = await post(c.id, 'schedule', { body: { at }, headers: { 'if-match': '"1"' } });
    expect(scheduled.status, scheduled.text).toBe(200);
    expect(scheduled.json).toMatchObject({ status: 'scheduled', schedule: { at }, version: 2 });
    expect(scheduled.headers.get('etag')).toBe('"2"');
    const expected = { ScheduleExpression: `at(${at.slice(0, 19)})`, Target: { Arn: localFunctionArn('campaignStarter'), Input: JSON.stringify({ campaignId: c.id, at }) } };
    expect(await startSchedule(c.id)).toMatchObject(expected);
    expect((await post(c.id, 'schedule', { body: { at } })).json.type).toBe('urn:ecrm:problem:campaign-state');
    expect((await post(c.id, 'pause', { headers: { 'if-match': '"1"' } })).status).toBe(412);
    expect((await post(c.id, 'pause')).json).toMatchObject({ status: 'paused', pausedFrom: 'scheduled' });
    expect(await startSchedule(c.id)).toBeUndefined();
    expect((await post(c.id, 'resume')).json).toMatchObject({ status: 'scheduled', pausedFrom: null, schedule: { at } });
    expect(await startSchedule(c.id)).toMatchObject(expected);
    expect((await post(c.id, 'cancel')).json.status).toBe('cancelled');
    expect(await startSchedule(c.id)).toBeUndefined();
    expect((await post(c.id, 'resume')).status).toBe(409);
    await t.runtime.idle();
    const events = (await t.call('GET', '/_local/events?limit=500', { role: null })).json.items as { detailType: string; detail: { data: { campaignId?: string } } }[];
    expect(events.filter((e) => e.detail.data.campaignId === c.id).map((e) => e.detailType).reverse()).toEqual(['CampaignScheduled', 'CampaignPaused', 'CampaignScheduled']);
  });

  it('schedule takes the campaign\'s own schedule.at, and refuses a time in the past (400)', async () => {
    const at = FUTURE();
    const c = await create({ schedule: { at } });
    const past = await post(c.id, 'schedule', { body: { at: '2020-01-01T00:00:00Z' } });
    expect([past.status, past.json.errors?.[0]?.path]).toEqual([400, 'at']);
    expect((await post(c.id, 'schedule')).json.schedule).toEqual({ at });
  });

  it('activate creates the rule with the trigger pattern; pause and cancel remove it; a changed trigger replaces it', async () => {
    const c = await create({ trigger: { event: 'InteractionRecorded', where: { type: 'purchase', 'data.sku': 'A-1' }, delayMinutes: 30 } });
    expect((await post(c.id, 'schedule', { body: { at: FUTURE() } })).status).toBe(409);
    const interaction = { source: ['crm.customers'], 'detail-type': ['InteractionRecorded'], detail: { data: { type: ['purchase'] } } };
    const solved = { source: ['crm.cases'], 'detail-type': ['CaseStatusChanged'], detail: { data: { to: ['solved'] } } };
    expect(await rulePattern(c.id)).toBeUndefined();
    expect((await post(c.id, 'activate')).json.status).toBe('active');
    expect(await rulePattern(c.id)).toEqual(interaction);
    const patched = await t.call('PATCH', `/campaigns/${c.id}`, { ...MARKETER, body: { trigger: { event: 'CaseStatusChanged', where: { to: 'solved' } } } });
    expect(patched.json.trigger).toEqual({ event: 'CaseStatusChanged', where: { to: 'solved' }, delayMinutes: 0 });
    expect(await rulePattern(c.id)).toEqual(solved);
    expect((await post(c.id, 'pause')).json.pausedFrom).toBe('active');
    expect(await rulePattern(c.id)).toBeUndefined();
    expect((await post(c.id, 'resume')).json.status).toBe('active');
    expect(await rulePattern(c.id)).toEqual(solved);
    expect((await post(c.id, 'cancel')).json.status).toBe('cancelled');
    expect(await rulePattern(c.id)).toBeUndefined();
    expect((await post(c.id, 'cancel')).json.type).toBe('urn:ecrm:problem:campaign-state');
  });

  it('a running campaign pauses and resumes its sending', async () => {
    const c = await create();
    await post(c.id, 'schedule', { body: { at: FUTURE() } });
    await setCampaignStatus(t, c.id, 'running');
    expect((await post(c.id, 'pause')).json).toMatchObject({ status: 'paused', pausedFrom: 'running' });
    expect((await post(c.id, 'resume')).json.status).toBe('running');
    await setCampaignStatus(t, c.id, 'completed');
    for (const action of ['pause', 'resume', 'cancel', 'activate']) expect((await post(c.id, action)).status, action).toBe(409);
  });
});

describe('messages', () => {
  it('preview renders for a customer with an unsubscribe link of this API; 422 for an unknown customer', async () => {
    const c = await create();
    const res = await post(c.id, 'preview', { body: { customerId } });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ to: 'camila@example.com', subject: 'Hi Camila <3', html: expect.stringContaining('<p>Dear Camila &lt;3</p>') });
    expect(res.json.text).toContain('Dear Camila <3, gold.');
    const link = /(\/unsubscribe\?token=\S+)/.exec(res.json.text)![1]!;
    const page = await t.call('GET', link, { role: null });
    expect(page.status).toBe(200);
    expect(page.text).toContain('Offers');
    const unknown = await post(c.id, 'preview', { body: { customerId: 'nobody' } });
    expect([unknown.status, unknown.json.type]).toEqual([422, 'urn:ecrm:problem:unknown-customer']);
  });

  it('a test message reaches the address, marked [TEST], counted nowhere; a suppressed address is refused', async () => {
    const c = await create();
    const res = await post(c.id, 'test', { body: { email: 'Staff@Company.test' } });
    expect(res.status, res.text).toBe(202);
    expect(res.json.outcome).toBe('sent');
    const mail = await eventually(async () => (await emails()).find((e) => e.destination.to.includes('staff@company.test')));
    expect(mail.subject).toBe('[TEST] Hi there');
    expect((await t.call('GET', `/campaigns/${c.id}/report`, MARKETER)).json).toMatchObject({ sent: 0, targeted: 0 });
    expect((await t.call('GET', `/campaigns/${c.id}/recipients`, MARKETER)).json.items).toEqual([]);
    await t.runtime.idle();
    const events = (await t.call('GET', '/_local/events?limit=500', { role: null })).json.items as { detailType: string }[];
    expect(events.filter((e) => e.detailType === 'EmailSent' || e.detailType === 'CampaignMessageSent')).toEqual([]);

    // The simulator's bounce suppresses the address (SES feedback -> the consent context).
    expect((await post(c.id, 'test', { body: { email: 'bounce+campaign@simulator.amazonses.com' } })).status).toBe(202);
    await eventually(async () => ((await t.call('GET', '/suppressions', { role: 'admin' })).json.items.some((s: { email: string }) => s.email === 'bounce+campaign@simulator.amazonses.com') ? true : undefined));
    const refused = await post(c.id, 'test', { body: { email: 'bounce+campaign@simulator.amazonses.com' } });
    expect([refused.status, refused.json.type]).toEqual([422, 'urn:ecrm:problem:address-suppressed']);
    expect((await post(c.id, 'test', { body: { email: 'not an address' } })).status).toBe(400);
  });
});

describe('report and recipients', () => {
  it('the report answers zeros before anything was counted, then the counters with blocked per reason', async () => {
    const c = await create();
    const zeros = await t.call('GET', `/campaigns/${c.id}/report`, MARKETER);
    expect(zeros.json).toEqual({ targeted: 0, sent: 0, blocked: {}, held: 0, capped: 0, failed: 0, delivered: 0, bounced: 0, complained: 0, unsubscribed: 0 });
    await addToReport(t, c.id, { targeted: 5, sent: 2, held: 1, blocked_no_consent: 1, blocked_suppressed: 1, delivered: 2 });
    expect((await t.call('GET', `/campaigns/${c.id}/report`, MARKETER)).json).toEqual({
      targeted: 5,
      sent: 2,
      blocked: { no_consent: 1, suppressed: 1 },
      held: 1,
      capped: 0,
      failed: 0,
      delivered: 2,
      bounced: 0,
      complained: 0,
      unsubscribed: 0,
    });
    expect((await t.call('GET', '/campaigns/nope/report', MARKETER)).status).toBe(404);
  });

  it('recipients are paged from the by-campaign index, filtered by outcome', async () => {
    const c = await create();
    await putRecipient(t, c.id, 'cust-a', 'sent');
    await putRecipient(t, c.id, 'cust-b', 'sent');
    await putRecipient(t, c.id, 'cust-c', 'blocked', 'no_consent');
    await putRecipient(t, 'another-campaign', 'cust-a', 'sent');
    const all = await t.call('GET', `/campaigns/${c.id}/recipients`, MARKETER);
    expect(all.json.items.map((r: { customerId: string }) => r.customerId).sort()).toEqual(['cust-a', 'cust-b', 'cust-c']);
    expect(all.json.items.find((r: { customerId: string }) => r.customerId === 'cust-c')).toMatchObject({ outcome: 'blocked', reason: 'no_consent' });
    const first = await t.call('GET', `/campaigns/${c.id}/recipients?outcome=sent&limit=1`, MARKETER);
    expect(first.json.items).toHaveLength(1);
    const second = await t.call('GET', `/campaigns/${c.id}/recipients?outcome=sent&limit=1&cursor=${first.json.nextCursor}`, MARKETER);
    expect([...first.json.items, ...second.json.items].map((r: { customerId: string }) => r.customerId).sort()).toEqual(['cust-a', 'cust-b']);
    expect(second.json.nextCursor).toBeNull();
    const crossed = await t.call('GET', `/campaigns/${c.id}/recipients?outcome=blocked&limit=1&cursor=${first.json.nextCursor}`, MARKETER);
    expect([crossed.status, crossed.json.errors]).toEqual([400, [{ path: 'cursor', message: 'is not a cursor this listing issued' }]]);
    expect((await t.call('GET', `/campaigns/${c.id}/recipients?outcome=opened`, MARKETER)).status).toBe(400);
    expect((await t.call('GET', `/campaigns/${c.id}/recipients`, { role: 'agent' })).status).toBe(403);
  });
});
