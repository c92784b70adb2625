import { NotFoundError } from '../shared/errors.ts';
import type { Clock, CommandContext } from '../shared/ports.ts';
import type { Audience, CampaignDelivery, OneOffSchedules } from './campaign.ports.ts';
import type { Campaign, Outcome } from './campaign.schema.ts';

// A triggered campaign reacting to one event. Its EventBridge rule (domain/campaigns/trigger.ts)
// already matched the event's type and the `where` keys a pattern can check (type, channel, to,
// topic); what a pattern cannot see is checked here: the interaction's stored data (`data.<key>`),
// the campaign's state now, the delay, and segment membership at the moment of sending.

/** Where a `data.<key>` condition looks: the interaction's data, which the event leaves out. */
export const DATA_PREFIX = 'data.';

/** The campaign and the stored facts an event only points at. */
export interface TriggerReads {
  campaign(id: string): Promise<Campaign | undefined>;
  /** The data of an interaction on the customer's timeline; undefined once it is gone (erased, merged away). */
  interactionData(customerId: string, occurredAt: string, interactionId: string): Promise<Readonly<Record<string, unknown>> | undefined>;
}

export interface TriggerDeps {
  readonly reads: TriggerReads;
  readonly audience: Audience;
  readonly delivery: CampaignDelivery;
  readonly schedules: OneOffSchedules;
  readonly clock: Clock;
  /** The one-off schedule of a delayed send: one per campaign and customer (<= 64 characters). */
  readonly scheduleName: (campaignId: string, customerId: string) => string;
}

/** A domain event as the campaign's rule hands it over (validated against its catalog module). */
export interface TriggeringEvent {
  readonly detailType: string;
  readonly occurredAt: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/** What the delayed send's schedule gives the trigger function when it fires. */
export interface DelayedSend {
  readonly campaignId: string;
  readonly customerId: string;
  readonly correlationId: string;
}

export type TriggerDecision =
  | 'no_campaign'
  | 'not_active'
  | 'other_event'
  | 'no_customer'
  | 'where_unmet'
  | 'scheduled'
  | 'segment_gone'
  | 'not_in_segment'
  | Outcome
  | 'duplicate'
  /** The campaign stopped sending between the check and the delivery. */
  | 'not_sending';

type Scalar = string | number | boolean;

/** EventBridge's own semantics, so data conditions read like the pattern's: a list is "any of", an array value matches by any element. */
function satisfies(actual: unknown, wanted: Scalar | readonly Scalar[]): boolean {
  const options: readonly Scalar[] = Array.isArray(wanted) ? wanted : [wanted as Scalar];
  const values: readonly unknown[] = Array.isArray(actual) ? actual : [actual];
  return values.some((value) => options.some((option) => option === value));
}

function at(data: Readonly<Record<string, unknown>>, path: string): unknown {
  let value: unknown = data;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

export function campaignTrigger({ reads, audience, delivery, schedules, clock, scheduleName }: TriggerDeps) {
  /** `data.<key>` conditions: only an InteractionRecorded has data (the campaign API refuses them elsewhere). */
  async function dataConditionsHold(campaign: Campaign, event: TriggeringEvent, customerId: string): Promise<boolean> {
    const conditions = Object.entries(campaign.trigger?.where ?? {}).filter(([key]) => key.startsWith(DATA_PREFIX));
    if (!conditions.length) return true;
    const { interactionId, occurredAt } = event.data;
    if (typeof interactionId !== 'string' || typeof occurredAt !== 'string') return false;
    const data = await reads.interactionData(customerId, occurredAt, interactionId);
    if (!data) return false;
    return conditions.every(([key, wanted]) => satisfies(at(data, key.slice(DATA_PREFIX.length)), wanted));
  }

  /** The send itself: to a customer in the segment now, at most once (the delivery port's guarantee). */
  async function send(campaign: Campaign, customerId: string, context: CommandContext): Promise<TriggerDecision> {
    let member: boolean;
    try {
      member = await audience.includes(campaign.audience.segmentId, customerId);
    } catch (error) {
      if (error instanceof NotFoundError) return 'segment_gone';
      throw error;
    }
    if (!member) return 'not_in_segment';
    return delivery.deliver(campaign.id, customerId, context);
  }

  async function activeCampaign(id: string): Promise<Campaign | 'no_campaign' | 'not_active'> {
    const campaign = await reads.campaign(id);
    if (!campaign) return 'no_campaign';
    return campaign.status === 'active' ? campaign : 'not_active';
  }

  return {
    /**
     * flow: 1. the campaign, active now 2. the event is its trigger, about a customer 3. the data
     * conditions 4. a delay: a one-off schedule, named per campaign and customer, so a redelivered
     * or repeated event replaces the pending one instead of adding a second 5. else send now.
     */
    async onEvent(campaignId: string, event: TriggeringEvent, context: CommandContext): Promise<TriggerDecision> {
      const campaign = await activeCampaign(campaignId);
      if (typeof campaign === 'string') return campaign;
      if (!campaign.trigger || campaign.trigger.event !== event.detailType) return 'other_event';
      const customerId = event.data.customerId;
      if (typeof customerId !== 'string' || !customerId) return 'no_customer';
      if (!(await dataConditionsHold(campaign, event, customerId))) return 'where_unmet';
      const delayMinutes = campaign.trigger.delayMinutes ?? 0;
      // Counted from the event, not from its delivery: a redelivery asks for the same time, and
      // an event delivered after its delay has passed is sent at once.
      const due = new Date(Date.parse(event.occurredAt) + delayMinutes * 60_000);
      if (delayMinutes > 0 && due.getTime() > clock.now().getTime()) {
        const input: DelayedSend = { campaignId, customerId, correlationId: context.correlationId };
        await schedules.at(scheduleName(campaignId, customerId), due.toISOString(), 'campaignTrigger', { ...input });
        return 'scheduled';
      }
      return send(campaign, customerId, context);
    },

    /** The delayed send's schedule fired: the campaign must still be active, the customer in the segment now. */
    async onDelayed({ campaignId, customerId, correlationId }: DelayedSend): Promise<TriggerDecision> {
      const campaign = await activeCampaign(campaignId);
      if (typeof campaign === 'string') return campaign;
      return send(campaign, customerId, { correlationId });
    },
  };
}

export type CampaignTrigger = ReturnType<typeof campaignTrigger>;
