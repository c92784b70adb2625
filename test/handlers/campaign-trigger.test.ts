import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Campaign } from '../../domain/campaigns/campaign.schema.ts';
import { campaignTrigger } from '../../domain/campaigns/campaign-trigger.use-cases.ts';
import { CaseStatusChanged } from '../../events/case-status-changed.event.ts';
import { type DomainEvent, envelope } from '../../events/define-event.ts';
import { InteractionRecorded } from '../../events/interaction-recorded.event.ts';
import { campaignTriggerHandler } from '../../functions/campaigns/campaign-trigger.handler.ts';
import { delayedSendName } from '../../functions/campaigns/campaign-trigger.composition.ts';
import { type FakeClock, fakeClock } from '../support/fakes.ts';
import {
  type FakeAudience,
  type FakeDelivery,
  type FakeSchedules,
  type FakeTriggerReads,
  fakeAudience,
  fakeDelivery,
  fakeSchedules,
  fakeTriggerReads,
  triggeredCampaign,
} from '../support/trigger-fakes.ts';

// The campaignTrigger function (its real handler and use case) on fakes of the ports other parts
// implement: which event makes which campaign send what, to whom, when.

const NOW = '2025-01-15T10:00:00.000Z';
let clock: FakeClock;
let reads: FakeTriggerReads;
let audience: FakeAudience;
let delivery: FakeDelivery;
let schedules: FakeSchedules;
let handler: ReturnType<typeof campaignTriggerHandler>;
let infoLog: ReturnType<typeof vi.spyOn>;

beforeEach(() => {
  clock = fakeClock(NOW);
  reads = fakeTriggerReads();
  audience = fakeAudience(['seg-1']);
  delivery = fakeDelivery();
  schedules = fakeSchedules();
  handler = campaignTriggerHandler(campaignTrigger({ reads, audience, delivery, schedules, clock, scheduleName: delayedSendName }));
  infoLog = vi.spyOn(console, 'log').mockImplementation(() => undefined);
});
afterEach(() => {
  infoLog.mockRestore();
});

let eventNo = 0;
/** What the campaign's rule target receives: `{campaignId, event: <the EventBridge event>}`. */
function fromRule(campaignId: string, event: DomainEvent, occurredAt = NOW) {
  const eventId = `ev-${++eventNo}`;
  const detail = envelope(event, { eventId, occurredAt, correlationId: `corr-${eventNo}`, causationId: null, idempotencyKey: eventId });
  return {
    campaignId,
    event: { version: '0', id: `eb-${eventNo}`, source: event.definition.source, 'detail-type': event.definition.detailType, time: occurredAt, detail },
  };
}

const interaction = (customerId = 'cust-1', extra: Partial<{ interactionId: string; type: string; channel: string; occurredAt: string }> = {}) =>
  InteractionRecorded.of({ customerId, interactionId: 'int-1', channel: 'web', type: 'page_view', occurredAt: '2025-01-15T09:59:00.000Z', ...extra });

function onlyPending() {
  const all = [...schedules.pending.values()];
  expect(all).toHaveLength(1);
  return all[0]!;
}

function campaign(overrides: Partial<Campaign> = {}, trigger: Partial<NonNullable<Campaign['trigger']>> = {}) {
  const c = triggeredCampaign({ ...overrides, trigger: { event: 'InteractionRecorded', where: {}, delayMinutes: 0, ...trigger } });
  reads.putCampaign(c);
  return c;
}

describe('campaignTrigger', () => {
  it.each(['draft', 'scheduled', 'paused', 'cancelled', 'completed'] as const)('does nothing for a campaign that is %s', async (status) => {
    campaign({ status });
    audience.set('seg-1', 'cust-1');
    expect(await handler(fromRule('camp-1', interaction()))).toEqual({ decision: 'not_active' });
    expect(delivery.calls).toBe(0);
    expect(audience.asked).toEqual([]);
    expect(schedules.created).toBe(0);
  });

  it('does nothing for a campaign that is gone', async () => {
    expect(await handler(fromRule('camp-404', interaction()))).toEqual({ decision: 'no_campaign' });
    expect(delivery.calls).toBe(0);
  });

  it('sends to a customer in the segment, once, however often the event is delivered', async () => {
    campaign();
    audience.set('seg-1', 'cust-1');
    const input = fromRule('camp-1', interaction());
    expect(await handler(input)).toEqual({ decision: 'sent' });
    expect(await handler(input)).toEqual({ decision: 'duplicate' });
    expect(await handler(fromRule('camp-1', interaction('cust-1', { interactionId: 'int-2' })))).toEqual({ decision: 'duplicate' });
    expect(delivery.sent).toEqual([{ campaignId: 'camp-1', customerId: 'cust-1', context: { correlationId: expect.stringMatching(/^corr-/) } }]);
  });

  it('sends nothing to a customer who is not in the segment at that moment', async () => {
    campaign();
    expect(await handler(fromRule('camp-1', interaction()))).toEqual({ decision: 'not_in_segment' });
    expect(audience.asked).toEqual([{ segmentId: 'seg-1', customerId: 'cust-1' }]);
    expect(delivery.calls).toBe(0);
  });

  it('sends nothing when the segment is gone, without failing the event', async () => {
    campaign({ audience: { segmentId: 'seg-gone' } });
    expect(await handler(fromRule('camp-1', interaction()))).toEqual({ decision: 'segment_gone' });
    expect(delivery.calls).toBe(0);
  });

  it('ignores an event that is not the campaign trigger (a rule left behind by an edit)', async () => {
    campaign({}, { event: 'CustomerCreated' });
    audience.set('seg-1', 'cust-1');
    expect(await handler(fromRule('camp-1', interaction()))).toEqual({ decision: 'other_event' });
    expect(delivery.calls).toBe(0);
  });

  it("mails the case's customer when the case is solved", async () => {
    campaign({}, { event: 'CaseStatusChanged', where: { to: 'solved' } });
    audience.set('seg-1', 'cust-9');
    expect(await handler(fromRule('camp-1', CaseStatusChanged.of({ caseId: 'case-1', customerId: 'cust-9', from: 'open', to: 'solved' })))).toEqual({ decision: 'sent' });
    expect(delivery.sent.map((s) => s.customerId)).toEqual(['cust-9']);
  });

  describe('where on the interaction data', () => {
    beforeEach(() => audience.set('seg-1', 'cust-1'));

    it("sends when the stored interaction's data fits every data.<key> condition", async () => {
      campaign({}, { where: { type: 'page_view', 'data.path': '/pricing', 'data.plan': ['pro', 'team'] } });
      reads.putInteraction('cust-1', '2025-01-15T09:59:00.000Z', 'int-1', { path: '/pricing', plan: 'team' });
      expect(await handler(fromRule('camp-1', interaction()))).toEqual({ decision: 'sent' });
    });

    it('sends nothing when one data condition does not hold', async () => {
      campaign({}, { where: { 'data.path': '/pricing', 'data.plan': 'pro' } });
      reads.putInteraction('cust-1', '2025-01-15T09:59:00.000Z', 'int-1', { path: '/pricing', plan: 'free' });
      expect(await handler(fromRule('camp-1', interaction()))).toEqual({ decision: 'where_unmet' });
      expect(delivery.calls).toBe(0);
      expect(audience.asked).toEqual([]);
    });

    it('compares values with their JSON type and looks into nested objects and arrays as EventBridge does', async () => {
      campaign({}, { where: { 'data.cart.items': 3, 'data.tags': 'sale' } });
      reads.putInteraction('cust-1', '2025-01-15T09:59:00.000Z', 'int-1', { cart: { items: 3 }, tags: ['new', 'sale'] });
      expect(await handler(fromRule('camp-1', interaction()))).toEqual({ decision: 'sent' });

      campaign({ id: 'camp-2' }, { where: { 'data.cart.items': '3' } });
      expect(await handler(fromRule('camp-2', interaction()))).toEqual({ decision: 'where_unmet' });
    });

    it('sends nothing when the interaction is no longer on the timeline (erased, merged away)', async () => {
      campaign({}, { where: { 'data.path': '/pricing' } });
      expect(await handler(fromRule('camp-1', interaction()))).toEqual({ decision: 'where_unmet' });
      expect(delivery.calls).toBe(0);
    });

    it('reads no data when the campaign has no data condition', async () => {
      campaign({}, { where: { channel: 'web' } });
      const spy = vi.spyOn(reads, 'interactionData');
      expect(await handler(fromRule('camp-1', interaction()))).toEqual({ decision: 'sent' });
      expect(spy).not.toHaveBeenCalled();
    });
  });

  describe('with delayMinutes', () => {
    beforeEach(() => campaign({}, { delayMinutes: 30 }));

    it('creates one one-off schedule at the event time plus the delay and sends nothing yet', async () => {
      audience.set('seg-1', 'cust-1');
      expect(await handler(fromRule('camp-1', interaction(), '2025-01-15T09:59:30.000Z'))).toEqual({ decision: 'scheduled' });
      expect(delivery.calls).toBe(0);
      expect(audience.asked).toEqual([]);
      expect([...schedules.pending]).toEqual([
        [
          delayedSendName('camp-1', 'cust-1'),
          { at: '2025-01-15T10:29:30.000Z', target: 'campaignTrigger', input: { campaignId: 'camp-1', customerId: 'cust-1', correlationId: expect.any(String) } },
        ],
      ]);
    });

    it('keeps one pending schedule per campaign and customer when the event comes again', async () => {
      const input = fromRule('camp-1', interaction(), '2025-01-15T09:59:30.000Z');
      await handler(input);
      await handler(input);
      await handler(fromRule('camp-1', interaction('cust-1', { interactionId: 'int-2' }), '2025-01-15T09:59:50.000Z'));
      expect(schedules.pending.size).toBe(1);
      await handler(fromRule('camp-1', interaction('cust-2')));
      expect(schedules.pending.size).toBe(2);
    });

    it('when the schedule fires, sends to a customer in the segment then, once, however often it fires', async () => {
      await handler(fromRule('camp-1', interaction()));
      const { input } = onlyPending();
      clock.advance(30 * 60_000);
      audience.set('seg-1', 'cust-1');
      expect(await handler(input)).toEqual({ decision: 'sent' });
      expect(await handler(input)).toEqual({ decision: 'duplicate' });
      expect(delivery.sent).toHaveLength(1);
      expect(schedules.created).toBe(1);
    });

    it('when the schedule fires, sends nothing to a customer who left the segment meanwhile', async () => {
      audience.set('seg-1', 'cust-1');
      await handler(fromRule('camp-1', interaction()));
      audience.set('seg-1', 'cust-1', false);
      const { input } = onlyPending();
      expect(await handler(input)).toEqual({ decision: 'not_in_segment' });
      expect(delivery.calls).toBe(0);
    });

    it('when the schedule fires, sends nothing if the campaign was paused meanwhile', async () => {
      audience.set('seg-1', 'cust-1');
      await handler(fromRule('camp-1', interaction()));
      reads.putCampaign(triggeredCampaign({ status: 'paused', pausedFrom: 'active', trigger: { event: 'InteractionRecorded', where: {}, delayMinutes: 30 } }));
      const { input } = onlyPending();
      expect(await handler(input)).toEqual({ decision: 'not_active' });
      expect(delivery.calls).toBe(0);
    });

    it('sends at once an event delivered after its delay had passed (no schedule in the past)', async () => {
      audience.set('seg-1', 'cust-1');
      expect(await handler(fromRule('camp-1', interaction(), '2025-01-15T09:00:00.000Z'))).toEqual({ decision: 'sent' });
      expect(schedules.created).toBe(0);
    });
  });

  it('refuses an event the catalog does not know or whose detail does not fit (retried, then dead-lettered)', async () => {
    campaign();
    const input = fromRule('camp-1', interaction());
    await expect(handler({ ...input, event: { ...input.event, 'detail-type': 'CustomerTeleported' } })).rejects.toThrow(/unknown event/);
    await expect(handler({ ...input, event: { ...input.event, detail: { ...input.event.detail, data: { customerId: 'cust-1' } } } })).rejects.toThrow();
    await expect(handler({ campaignId: 'camp-1' })).rejects.toThrow();
    expect(delivery.calls).toBe(0);
  });

  it('logs ids and its decision, never the event', async () => {
    campaign({}, { where: { 'data.path': '/secret-path' } });
    reads.putInteraction('cust-1', '2025-01-15T09:59:00.000Z', 'int-1', { path: '/secret-path' });
    audience.set('seg-1', 'cust-1');
    await handler(fromRule('camp-1', interaction()));
    expect(infoLog).toHaveBeenCalledTimes(1);
    expect(JSON.parse(String(infoLog.mock.calls[0]![0]))).toEqual({ level: 'info', message: 'campaign trigger', campaignId: 'camp-1', decision: 'sent' });
  });
});

describe('delayedSendName', () => {
  it('is a valid EventBridge Scheduler name of at most 64 characters, one per campaign and customer', () => {
    const long = 'x'.repeat(128);
    const names = [delayedSendName('camp-1', 'cust-1'), delayedSendName('camp-1', 'cust-2'), delayedSendName('camp-2', 'cust-1'), delayedSendName(long, long)];
    for (const name of names) expect(name).toMatch(/^[0-9a-zA-Z._-]{1,64}$/);
    expect(new Set(names).size).toBe(4);
    expect(delayedSendName('camp-1', 'cust-1')).toBe(names[0]);
    // The separator keeps ("ab", "c") and ("a", "bc") apart.
    expect(delayedSendName('ab', 'c')).not.toBe(delayedSendName('a', 'bc'));
  });
});
