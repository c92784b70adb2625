import type { Audience, CampaignDelivery, OneOffSchedules, ScheduleTarget } from '../../domain/campaigns/campaign.ports.ts';
import type { Campaign, Outcome } from '../../domain/campaigns/campaign.schema.ts';
import type { TriggerReads } from '../../domain/campaigns/campaign-trigger.use-cases.ts';
import { NotFoundError } from '../../domain/shared/errors.ts';
import type { CommandContext } from '../../domain/shared/ports.ts';

// In-memory fakes of the campaign ports the trigger consumer uses, honouring their contracts
// (domain/campaigns/campaign.ports.ts): the delivery sends at most once per customer and campaign
// and answers `duplicate` after; schedules are create-or-replace by name; an unknown segment is a
// NotFoundError.

export interface FakeAudience extends Audience {
  /** Puts the customer in (or, with false, out of) the segment. */
  set(segmentId: string, customerId: string, member?: boolean): void;
  readonly asked: readonly { segmentId: string; customerId: string }[];
}

export function fakeAudience(segments: readonly string[] = []): FakeAudience {
  const members = new Map<string, Set<string>>(segments.map((s) => [s, new Set()]));
  const asked: { segmentId: string; customerId: string }[] = [];
  return {
    asked,
    set(segmentId, customerId, member = true) {
      const set = members.get(segmentId) ?? new Set<string>();
      if (member) set.add(customerId);
      else set.delete(customerId);
      members.set(segmentId, set);
    },
    async includes(segmentId, customerId) {
      asked.push({ segmentId, customerId });
      const set = members.get(segmentId);
      if (!set) throw new NotFoundError(`No segment ${segmentId}.`);
      return set.has(customerId);
    },
    async startScan() {
      throw new Error('the trigger never scans');
    },
  };
}

export interface FakeDelivery extends CampaignDelivery {
  /** Each message actually sent (a duplicate is not here). */
  readonly sent: readonly { campaignId: string; customerId: string; context: CommandContext }[];
  readonly calls: number;
}

export function fakeDelivery(outcome: Outcome = 'sent'): FakeDelivery {
  const done = new Set<string>();
  const sent: { campaignId: string; customerId: string; context: CommandContext }[] = [];
  let calls = 0;
  return {
    sent,
    get calls() {
      return calls;
    },
    async deliver(campaignId, customerId, context) {
      calls++;
      const key = `${campaignId}\n${customerId}`;
      if (done.has(key)) return 'duplicate';
      done.add(key);
      if (outcome === 'sent') sent.push({ campaignId, customerId, context: { ...context } });
      return outcome;
    },
  };
}

export interface PendingSchedule {
  readonly at: string;
  readonly target: ScheduleTarget;
  readonly input: Record<string, unknown>;
}

export interface FakeSchedules extends OneOffSchedules {
  readonly pending: ReadonlyMap<string, PendingSchedule>;
  /** How often `at` was called (a replace counts). */
  readonly created: number;
}

export function fakeSchedules(): FakeSchedules {
  const pending = new Map<string, PendingSchedule>();
  let created = 0;
  return {
    pending,
    get created() {
      return created;
    },
    async at(name, at, target, input) {
      if (name.length > 64 || !/^[0-9a-zA-Z._-]+$/.test(name)) throw new Error(`invalid schedule name ${name}`);
      created++;
      pending.set(name, { at, target, input: structuredClone(input) });
    },
    async cancel(name) {
      pending.delete(name);
    },
  };
}

export interface FakeTriggerReads extends TriggerReads {
  putCampaign(campaign: Campaign): void;
  putInteraction(customerId: string, occurredAt: string, interactionId: string, data: Record<string, unknown>): void;
}

export function fakeTriggerReads(): FakeTriggerReads {
  const campaigns = new Map<string, Campaign>();
  const interactions = new Map<string, Record<string, unknown>>();
  const key = (customerId: string, occurredAt: string, id: string) => `${customerId}\n${occurredAt}\n${id}`;
  return {
    putCampaign: (campaign) => campaigns.set(campaign.id, structuredClone(campaign)),
    putInteraction: (customerId, occurredAt, id, data) => interactions.set(key(customerId, occurredAt, id), structuredClone(data)),
    async campaign(id) {
      const found = campaigns.get(id);
      return found && structuredClone(found);
    },
    async interactionData(customerId, occurredAt, id) {
      const found = interactions.get(key(customerId, occurredAt, id));
      return found && structuredClone(found);
    },
  };
}

/** A triggered campaign as the campaign API stores it once activated. */
export function triggeredCampaign(overrides: Partial<Campaign> = {}): Campaign {
  return {
    id: 'camp-1',
    name: 'Welcome back',
    topic: 'newsletter',
    template: { subject: 'Hi {{firstName|there}}', text: 'Hello', html: null },
    audience: { segmentId: 'seg-1' },
    schedule: null,
    trigger: { event: 'InteractionRecorded', where: {}, delayMinutes: 0 },
    holdIfOpenCase: null,
    frequencyCap: null,
    status: 'active',
    pausedFrom: null,
    createdAt: '2025-01-15T08:00:00.000Z',
    updatedAt: '2025-01-15T08:00:00.000Z',
    startedAt: null,
    completedAt: null,
    version: 2,
    ...overrides,
  };
}
