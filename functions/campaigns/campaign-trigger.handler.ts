import type { CampaignTrigger } from '#domain/campaigns/campaign-trigger.use-cases.ts';
import * as z from '#domain/shared/zod.ts';
import { findEvent } from '#events/catalog.ts';
import { log } from '../shared/log.ts';

// The trigger function's two inputs: the campaign's own rule (its target's input template is
// `{"campaignId": ..., "event": <aws.events.event>}`) and the one-off schedule of a delayed send.

const Id = z.onFirstUse(() => z.string().check(z.minLength(1), z.maxLength(128)));
const FromRule = z.onFirstUse(() => z.object({
  campaignId: Id,
  event: z.object({ id: z.string(), source: z.string(), 'detail-type': z.string(), detail: z.unknown() }),
}));
const FromSchedule = z.onFirstUse(() => z.object({ campaignId: Id, customerId: Id, correlationId: z.optional(z.string().check(z.minLength(1))) }));

export function campaignTriggerHandler(trigger: CampaignTrigger) {
  return async (input: unknown) => {
    const rule = FromRule.safeParse(input);
    let decision: string;
    let campaignId: string;
    if (rule.success) {
      const { event } = rule.data;
      campaignId = rule.data.campaignId;
      const definition = findEvent(event.source, event['detail-type']);
      if (!definition) throw new Error(`campaign ${campaignId}: unknown event ${event.source}/${event['detail-type']}`);
      const { metadata, data } = definition.detail.parse(event.detail);
      decision = await trigger.onEvent(
        campaignId,
        { detailType: definition.detailType, occurredAt: metadata.occurredAt, data: data as Record<string, unknown> },
        { correlationId: metadata.correlationId },
      );
    } else {
      const delayed = FromSchedule.parse(input);
      campaignId = delayed.campaignId;
      decision = await trigger.onDelayed({ ...delayed, correlationId: delayed.correlationId ?? `delayed-${campaignId}` });
    }
    // Ids and the decision only: never the event's data.
    log('info', 'campaign trigger', { campaignId, decision });
    return { decision };
  };
}
