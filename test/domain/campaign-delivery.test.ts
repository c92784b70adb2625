import { beforeEach, describe, expect, it } from 'vitest';
import type { Campaign } from '../../domain/campaigns/campaign.schema.ts';
import type { SendBatch } from '../../domain/campaigns/delivery.repository.ts';
import { BATCH_SIZE, batchesOf, deliveryUseCases, holds, SesThrottledError, THROTTLE_ATTEMPTS } from '../../domain/campaigns/delivery.use-cases.ts';
import type { Topic } from '../../domain/consent/consent.schema.ts';
import { emailGate } from '../../domain/consent/email-gate.ts';
import { CampaignCompleted } from '../../events/campaign-completed.event.ts';
import { CampaignMessageSent } from '../../events/campaign-message-sent.event.ts';
import { CampaignStarted } from '../../events/campaign-started.event.ts';
import { sendBatchKey } from '../../functions/campaigns/campaign.keys.ts';
import { type FakeConsentRepository, fakeConsentRepository, fakeEmailSender } from '../support/consent-fakes.ts';
import { campaignOf, countingPacer, type FakeDeliveryRepository, fakeAudience, fakeDeliveryRepository, jsonTokens, scriptedMailer } from '../support/delivery-fakes.ts';
import { type FakeClock, fakeClock, sequentialIds } from '../support/fakes.ts';

// Campaign delivery with fakes: the per-recipient decisions (gate, hold, cap, claim, SES), exact
// counters across a retried batch, pause, cancel, the scheduled start and completion.

const ctx = { correlationId: 'corr-send' };
const TOPICS: Topic[] = [{ id: 'newsletter', name: 'Newsletter', description: '', purpose: 'marketing' }];
const PEOPLE = ['ada', 'bob', 'cy', 'dee'].map((n) => ({ id: `c-${n}`, email: `${n}@example.com`, firstName: n.toUpperCase(), lastName: null }));

let clock: FakeClock;
let consents: FakeConsentRepository;
let repo: FakeDeliveryRepository;
let mailer: ReturnType<typeof scriptedMailer>;
let pacer: ReturnType<typeof countingPacer>;

function useCases() {
  return deliveryUseCases({
    repo,
    gate: emailGate({ consents, sender: fakeEmailSender(), clock, ids: sequentialIds('g') }),
    mailer,
    tokens: jsonTokens,
    pacer,
    clock,
    ids: sequentialIds('id'),
    linkBase: () => 'https://api.example.test',
    lanes: 2,
  });
}

async function subscribe(customerId: string) {
  await consents.append([], [{ customerId, topic: 'newsletter', state: 'subscribed', at: '2025-01-01T00:00:00.000Z', expected: 'none' }], [], ctx);
}

function withCampaign(overrides: Partial<Campaign> = {}): Campaign {
  const campaign = campaignOf(overrides);
  repo.campaigns.set(campaign.id, campaign);
  return campaign;
}

const batch = (customerIds: string[], id = '000000#000000#000000', lane = 0): SendBatch => ({ campaignId: 'cmp-1', lane, id, customerIds });

/** Puts the batch in the queue the way the sink would (so finishBatch finds it queued). */
function queued(b: SendBatch): SendBatch {
  repo.batches.set(`${b.campaignId}#${b.lane}|${b.id}`, { batch: b, status: 'queued' });
  return b;
}

beforeEach(async () => {
  clock = fakeClock('2025-01-15T09:00:00.000Z');
  consents = fakeConsentRepository({ topics: TOPICS, customers: PEOPLE });
  repo = fakeDeliveryRepository();
  for (const p of PEOPLE) repo.people.set(p.id, { ...p, attributes: {} });
  mailer = scriptedMailer();
  pacer = countingPacer();
  for (const p of PEOPLE) await subscribe(p.id);
});

describe('one batch of a running campaign', () => {
  it('sends to each subscribed recipient once, with the campaign tag, header, unsubscribe link and a token naming the campaign', async () => {
    withCampaign();
    const result = await useCases().sendBatch(queued(batch(['c-ada', 'c-bob'])), ctx);
    expect(result).toBe('done');
    expect(mailer.asked.map((m) => m.to)).toEqual([['ada@example.com'], ['bob@example.com']]);
    const [first] = mailer.asked;
    expect(first!.subject).toBe('Hello ADA');
    expect(first!.kind).toBe('marketing');
    expect(first!.tags).toEqual({ campaign: 'cmp-1', kind: 'marketing' });
    expect(first!.headers).toMatchObject({ 'X-Campaign-Id': 'cmp-1', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' });
    const link = /Unsubscribe: (\S+)/.exec(first!.text)![1]!;
    expect(link.startsWith('https://api.example.test/unsubscribe?token=')).toBe(true);
    const token = decodeURIComponent(new URL(link).searchParams.get('token')!);
    expect(await jsonTokens.verify(token, clock.now())).toMatchObject({ purpose: 'unsubscribe', customerId: 'c-ada', topic: 'newsletter', campaignId: 'cmp-1' });
    expect(first!.headers!['List-Unsubscribe']).toBe(`<${link}>`);
    expect(pacer.waits).toBe(2);
    expect(repo.reports.get('cmp-1')).toMatchObject({ sent: 2, batchesDone: 1 });
    expect(repo.events.map((e) => [e.definition, (e.data as { customerId: string }).customerId])).toEqual([
      [CampaignMessageSent, 'c-ada'],
      [CampaignMessageSent, 'c-bob'],
    ]);
    expect([...repo.timeline.values()].map((t) => t.topic)).toEqual(['newsletter', 'newsletter']);
  });

  it('records blocked (with the gate reason), held and capped instead of sending, and counts each outcome', async () => {
    withCampaign({ holdIfOpenCase: 'high', frequencyCap: { max: 2, perDays: 7 } });
    await consents.append([], [{ customerId: 'c-ada', topic: 'newsletter', state: 'unsubscribed', at: '2025-01-02T00:00:00.000Z', expected: 'subscribed' }], [], ctx);
    await consents.suppress({ email: 'bob@example.com', reason: 'bounce', at: '2025-01-02T00:00:00.000Z', detail: null }, [], ctx);
    repo.cases.set('c-cy', ['low', 'urgent']);
    repo.earlierMail.set('c-dee', ['2025-01-10T00:00:00.000Z', '2025-01-14T00:00:00.000Z']);
    await useCases().sendBatch(queued(batch(['c-ada', 'c-bob', 'c-cy', 'c-dee'])), ctx);
    expect(mailer.asked).toEqual([]);
    const outcomes = Object.fromEntries([...repo.records.values()].map((r) => [r.customerId, [r.outcome, r.reason]]));
    expect(outcomes).toEqual({
      'c-ada': ['blocked', 'no_consent'],
      'c-bob': ['blocked', 'suppressed'],
      'c-cy': ['held', 'open_case'],
      'c-dee': ['capped', 'frequency_cap'],
    });
    expect(repo.reports.get('cmp-1')).toMatchObject({ blocked_no_consent: 1, blocked_suppressed: 1, held: 1, capped: 1 });
    expect(repo.events).toEqual([]);
  });

  it('lets mail older than the cap window through, and holds only for cases at the campaign level', async () => {
    withCampaign({ holdIfOpenCase: 'urgent', frequencyCap: { max: 1, perDays: 3 } });
    repo.cases.set('c-ada', ['high']);
    repo.earlierMail.set('c-ada', ['2025-01-01T00:00:00.000Z']);
    await useCases().sendBatch(queued(batch(['c-ada'])), ctx);
    expect(mailer.asked).toHaveLength(1);
  });

  it('blocks a customer who is gone as erased, writing nothing about them', async () => {
    withCampaign();
    repo.gone.add('c-ada');
    consents.markErased('c-ada');
    await useCases().sendBatch(queued(batch(['c-ada'])), ctx);
    expect(mailer.asked).toEqual([]);
    expect(repo.records.size).toBe(0);
    expect(repo.reports.get('cmp-1')).toMatchObject({ blocked_erased: 1 });
  });

  it('marks a message SES refuses as failed with its reason, and one without an answer as failed unconfirmed, never retried', async () => {
    withCampaign();
    mailer.answer('ada@example.com', { status: 'refused', reason: 'MessageRejected' });
    mailer.answer('bob@example.com', { status: 'unconfirmed' });
    await useCases().sendBatch(queued(batch(['c-ada', 'c-bob'])), ctx);
    expect(mailer.asked).toHaveLength(2);
    expect([...repo.records.values()].map((r) => [r.customerId, r.outcome, r.reason])).toEqual([
      ['c-ada', 'failed', 'MessageRejected'],
      ['c-bob', 'failed', 'unconfirmed'],
    ]);
    expect(repo.reports.get('cmp-1')).toMatchObject({ failed: 2 });
  });

  it('backs off while SES throttles and sends within the batch', async () => {
    withCampaign();
    mailer.answer('ada@example.com', { status: 'retry' }, { status: 'retry' });
    await useCases().sendBatch(queued(batch(['c-ada'])), ctx);
    expect(pacer.backOffs).toEqual([1, 2]);
    expect(mailer.accepted()).toHaveLength(1);
    expect(repo.reports.get('cmp-1')).toMatchObject({ sent: 1 });
  });

  it('gives a message SES keeps throttling back (its claim released) and fails the batch, so the stream retries it and sends it then', async () => {
    withCampaign();
    mailer.answer('bob@example.com', ...Array.from({ length: THROTTLE_ATTEMPTS }, () => ({ status: 'retry' as const })));
    const b = queued(batch(['c-ada', 'c-bob']));
    await expect(useCases().sendBatch(b, ctx)).rejects.toThrow(SesThrottledError);
    expect(repo.records.has('c-bob|cmp-1')).toBe(false);
    await useCases().sendBatch(b, ctx);
    expect(mailer.accepted().map((m) => m.to[0])).toEqual(['ada@example.com', 'bob@example.com']);
    expect(repo.reports.get('cmp-1')).toMatchObject({ sent: 2, batchesDone: 1 });
  });
});

describe('a batch processed again', () => {
  it('after a crash before its last transaction: sends nothing twice and counts every recipient once, events included', async () => {
    withCampaign({ holdIfOpenCase: 'any' });
    repo.cases.set('c-cy', ['normal']);
    const b = queued(batch(['c-ada', 'c-bob', 'c-cy']));
    repo.crashNextFinish();
    await expect(useCases().sendBatch(b, ctx)).rejects.toThrow(/crashed/);
    expect(repo.reports.get('cmp-1') ?? {}).toEqual({});
    expect(await useCases().sendBatch(b, ctx)).toBe('done');
    expect(mailer.asked).toHaveLength(2);
    expect(repo.reports.get('cmp-1')).toEqual({ sent: 2, held: 1, batchesDone: 1 });
    expect(repo.events.map((e) => (e.data as { messageId: string }).messageId)).toEqual(['ses-1', 'ses-2']);
  });

  it('after it was finished: changes nothing', async () => {
    withCampaign();
    const b = queued(batch(['c-ada']));
    await useCases().sendBatch(b, ctx);
    expect(repo.batches.get('cmp-1#0|000000#000000#000000')!.status).toBe('done'); // and the stream hands the same record again
    expect(await useCases().sendBatch(b, ctx)).toBe('duplicate');
    expect(mailer.asked).toHaveLength(1);
    expect(repo.reports.get('cmp-1')).toEqual({ sent: 1, batchesDone: 1 });
  });

  it('counts nothing for a customer another batch already has an outcome for', async () => {
    withCampaign();
    await useCases().sendBatch(queued(batch(['c-ada'], '000000#000000#000000')), ctx);
    await useCases().sendBatch(queued(batch(['c-ada', 'c-bob'], '000000#000001#000000', 1)), ctx);
    expect(mailer.asked.map((m) => m.to[0])).toEqual(['ada@example.com', 'bob@example.com']);
    expect(repo.reports.get('cmp-1')).toEqual({ sent: 2, batchesDone: 2 });
  });
});

describe('pause, resume and cancel', () => {
  it('parks the batches of a paused campaign, sending nothing, and resume puts them back in the queue', async () => {
    const campaign = withCampaign({ status: 'paused', pausedFrom: 'running' });
    const b = queued(batch(['c-ada']));
    expect(await useCases().sendBatch(b, ctx)).toBe('parked');
    expect(mailer.asked).toEqual([]);
    expect(repo.batches.get('cmp-1#0|000000#000000#000000')!.status).toBe('parked');
    repo.campaigns.set('cmp-1', { ...campaign, status: 'running', pausedFrom: null });
    await useCases().sending.resume('cmp-1');
    expect(repo.batches.get('cmp-1#0|000000#000000#000000')!.status).toBe('queued');
    expect(await useCases().sendBatch(b, ctx)).toBe('done');
    expect(mailer.asked).toHaveLength(1);
  });

  it('completes on resume a campaign whose last batch finished just before the pause', async () => {
    withCampaign();
    const cases = useCases();
    await cases.sink.accept({ runId: 'r', purpose: 'campaign', segmentId: 'seg-1', targetId: 'cmp-1', parts: 1 }, { part: 0, page: 0, customerIds: ['c-ada'], last: true }, ctx);
    // The batch finished, and the pause landed before its completion check: nothing is left to park.
    const [queuedBatch] = [...repo.batches.values()];
    await repo.finishBatch(queuedBatch!.batch, 'done', { targeted: 0, sent: 1, held: 0, capped: 0, failed: 0, blocked: {} }, [], ctx);
    expect(repo.campaigns.get('cmp-1')!.status).toBe('running');
    await cases.sending.resume('cmp-1');
    expect(repo.campaigns.get('cmp-1')!.status).toBe('completed');
  });

  it('sends nothing for a cancelled campaign and marks the batch cancelled', async () => {
    withCampaign({ status: 'cancelled' });
    expect(await useCases().sendBatch(queued(batch(['c-ada', 'c-bob'])), ctx)).toBe('cancelled');
    expect(mailer.asked).toEqual([]);
    expect(repo.records.size).toBe(0);
    expect(repo.batches.get('cmp-1#0|000000#000000#000000')!.status).toBe('cancelled');
  });
});

describe('the scheduled start', () => {
  it('starts a scheduled campaign whose time has come: running, CampaignStarted, one scan of its segment', async () => {
    withCampaign({ status: 'scheduled', startedAt: null });
    const audience = fakeAudience();
    expect(await useCases().start('cmp-1', audience, ctx)).toBe('started');
    expect(repo.campaigns.get('cmp-1')).toMatchObject({ status: 'running', startedAt: '2025-01-15T09:00:00.000Z', version: 4 });
    expect(audience.scans).toEqual([{ purpose: 'campaign', segmentId: 'seg-1', targetId: 'cmp-1' }]);
    expect(repo.events.map((e) => e.definition)).toEqual([CampaignStarted]);
    expect(await useCases().start('cmp-1', audience, ctx)).toBe('ignored');
    expect(audience.scans).toHaveLength(1);
  });

  it('does nothing before the time, or for a campaign in any other state', async () => {
    const audience = fakeAudience();
    withCampaign({ status: 'scheduled', schedule: { at: '2025-01-15T10:00:00.000Z' } });
    expect(await useCases().start('cmp-1', audience, ctx)).toBe('ignored');
    for (const status of ['draft', 'paused', 'cancelled', 'completed', 'active'] as const) {
      withCampaign({ status, schedule: { at: '2025-01-15T08:00:00.000Z' } });
      expect(await useCases().start('cmp-1', audience, ctx)).toBe('ignored');
    }
    expect(await useCases().start('cmp-missing', audience, ctx)).toBe('ignored');
    expect(audience.scans).toEqual([]);
    expect(repo.events).toEqual([]);
  });

  it('after a crash between the start and the scan, a retry starts the scan (once)', async () => {
    withCampaign({ status: 'scheduled' });
    const failing = { ...fakeAudience(), startScan: async () => Promise.reject(new Error('crash')) };
    await expect(useCases().start('cmp-1', failing, ctx)).rejects.toThrow('crash');
    expect(repo.campaigns.get('cmp-1')!.status).toBe('running');
    const audience = fakeAudience();
    expect(await useCases().start('cmp-1', audience, ctx)).toBe('resumed');
    expect(await useCases().start('cmp-1', audience, ctx)).toBe('ignored');
    expect(audience.scans).toHaveLength(1);
    expect(repo.events.map((e) => e.definition)).toEqual([CampaignStarted]);
  });
});

describe('the sink and completion', () => {
  const run = { runId: 'run-1', purpose: 'campaign' as const, segmentId: 'seg-1', targetId: 'cmp-1', parts: 2 };
  const ids = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `c-${i + from}`);

  it('splits a page into batches of at most 100 over the lanes, with the sort keys of sendBatchKey', () => {
    const batches = batchesOf(run, { part: 1, page: 3, customerIds: ids(250), last: false }, 4);
    expect(batches.map((b) => b.customerIds.length)).toEqual([100, 100, 50]);
    expect(batches.map((b) => b.lane)).toEqual([0, 1, 2]);
    expect(batches.map((b) => b.id)).toEqual([0, 1, 2].map((chunk) => sendBatchKey('cmp-1', 0, 1, 3, chunk).sk));
    expect(batches.flatMap((b) => b.customerIds)).toEqual(ids(250));
    expect(BATCH_SIZE).toBe(100);
  });

  it('counts a page once however often it comes, and completes the campaign once when every part and batch is done', async () => {
    withCampaign();
    const cases = useCases();
    await cases.sink.accept(run, { part: 0, page: 0, customerIds: ['c-ada', 'c-bob'], last: true }, ctx);
    await cases.sink.accept(run, { part: 0, page: 0, customerIds: ['c-ada', 'c-bob'], last: true }, ctx);
    await cases.sink.accept(run, { part: 1, page: 0, customerIds: [], last: true }, ctx);
    await cases.sink.accept(run, { part: 1, page: 0, customerIds: [], last: true }, ctx);
    expect(repo.reports.get('cmp-1')).toMatchObject({ targeted: 2, batchesQueued: 1, partsDone: 2, parts: 2, lanes: 2 });
    expect(repo.campaigns.get('cmp-1')!.status).toBe('running');
    const [queuedBatch] = [...repo.batches.values()].filter((b) => b.status === 'queued');
    await cases.sendBatch(queuedBatch!.batch, ctx);
    expect(repo.campaigns.get('cmp-1')).toMatchObject({ status: 'completed', completedAt: '2025-01-15T09:00:00.000Z' });
    const completed = repo.events.filter((e) => e.definition === CampaignCompleted);
    expect(completed.map((e) => e.data)).toEqual([{ campaignId: 'cmp-1', targeted: 2, sent: 2 }]);
  });

  it('completes an empty audience when its last part ends', async () => {
    withCampaign();
    const cases = useCases();
    await cases.sink.accept({ ...run, parts: 1 }, { part: 0, page: 0, customerIds: [], last: true }, ctx);
    expect(repo.campaigns.get('cmp-1')!.status).toBe('completed');
  });
});

describe('one customer of a triggered campaign', () => {
  it('sends once and counts it; the second time is a duplicate that sends and counts nothing', async () => {
    withCampaign({ status: 'active', schedule: null, trigger: { event: 'CustomerCreated', where: {}, delayMinutes: 0 } });
    const cases = useCases();
    expect(await cases.delivery.deliver('cmp-1', 'c-ada', ctx)).toBe('sent');
    expect(await cases.delivery.deliver('cmp-1', 'c-ada', ctx)).toBe('duplicate');
    expect(mailer.asked).toHaveLength(1);
    expect(repo.reports.get('cmp-1')).toEqual({ targeted: 1, sent: 1 });
    expect(repo.events.map((e) => e.definition)).toEqual([CampaignMessageSent]);
  });

  it('answers with the outcome of a refused customer, and not_sending for a campaign that is not active', async () => {
    withCampaign({ status: 'active', holdIfOpenCase: 'any' });
    repo.cases.set('c-bob', ['low']);
    expect(await useCases().delivery.deliver('cmp-1', 'c-bob', ctx)).toBe('held');
    withCampaign({ status: 'paused' });
    expect(await useCases().delivery.deliver('cmp-1', 'c-ada', ctx)).toBe('not_sending');
    expect(mailer.asked).toEqual([]);
  });
});

describe('holds', () => {
  it('holds for open cases of the level or above, and never without a level', () => {
    expect(holds('urgent', ['high'])).toBe(false);
    expect(holds('urgent', ['urgent'])).toBe(true);
    expect(holds('high', ['high'])).toBe(true);
    expect(holds('high', ['normal', 'low'])).toBe(false);
    expect(holds('any', ['low'])).toBe(true);
    expect(holds('any', [])).toBe(false);
    expect(holds(null, ['urgent'])).toBe(false);
  });
});
