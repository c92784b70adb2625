import { EventBridgeClient, type EventBridgeClientConfig } from '@aws-sdk/client-eventbridge';
import type { CampaignTriggers, OneOffSchedules } from '#domain/campaigns/campaign.ports.ts';
import type { Clock } from '#domain/shared/ports.ts';
import { EVENT_BUS_NAME } from '#events/define-event.ts';
import { boundedClientConfig } from '../shared/bounded-client.ts';
import type { campaignControlConfig } from '../shared/config.ts';
import { CONTROL_CLIENT_LIMITS, oneOffSchedulesFor, type OneOffScheduleClientSettings } from '../shared/one-off-schedules.ts';
import { eventBridgeCampaignTriggers } from './campaign-triggers.ts';

// The control plane campaigns use to react to events and to start at a time: one factory for the
// Lambda composition roots (settings from campaignControlConfig()) and the local runtime (the
// same settings plus the local endpoints), so both run the same adapters.

export type CampaignControlSettings = Omit<ReturnType<typeof campaignControlConfig>, 'schedules'> & {
  readonly schedules: OneOffScheduleClientSettings;
  /** Client settings (endpoint, credentials, region) for the local runtime; AWS's defaults when absent. */
  readonly eventBridge?: EventBridgeClientConfig;
};

export interface CampaignControl {
  readonly triggers: CampaignTriggers;
  readonly schedules: OneOffSchedules;
}

/** Builds the clients once (call it at cold start, in module scope). */
export function campaignControlFor(settings: CampaignControlSettings, clock: Clock): CampaignControl {
  const eventBridge = new EventBridgeClient({ ...boundedClientConfig(CONTROL_CLIENT_LIMITS), ...settings.eventBridge });
  return {
    triggers: eventBridgeCampaignTriggers(eventBridge, { busName: EVENT_BUS_NAME, targetArn: settings.triggerArn, deadLetterArn: settings.deadLetterArn }),
    schedules: oneOffSchedulesFor(settings.schedules, clock),
  };
}
