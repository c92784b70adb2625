import { EventBridgeClient, type EventBridgeClientConfig } from '@aws-sdk/client-eventbridge';
import { SchedulerClient, type SchedulerClientConfig } from '@aws-sdk/client-scheduler';
import type { CampaignTriggers, OneOffSchedules } from '#domain/campaigns/campaign.ports.ts';
import type { Clock } from '#domain/shared/ports.ts';
import { EVENT_BUS_NAME } from '#events/define-event.ts';
import { boundedClientConfig, type ClientLimits } from '../shared/bounded-client.ts';
import type { campaignControlConfig } from '../shared/config.ts';
import { eventBridgeCampaignTriggers } from './campaign-triggers.ts';
import { schedulerOneOffSchedules } from './one-off-schedules.ts';

// The control plane campaigns use to react to events and to start at a time: one factory for the
// Lambda composition roots (settings from campaignControlConfig()) and the local runtime (the
// same settings plus the local endpoints), so both run the same adapters.

/**
 * EventBridge and Scheduler control-plane calls answer in well under a second; bounded like every
 * other dependency (table-client.ts, ses-client.ts), so an API request that activates or schedules
 * a campaign answers 503 within its timeout instead of hanging.
 */
export const CONTROL_CLIENT_LIMITS: ClientLimits = { connectionTimeoutMs: 1_000, requestTimeoutMs: 3_000, maxAttempts: 3 };

export type CampaignControlSettings = ReturnType<typeof campaignControlConfig> & {
  /** Client settings (endpoint, credentials, region) for the local runtime; AWS's defaults when absent. */
  readonly eventBridge?: EventBridgeClientConfig;
  readonly scheduler?: SchedulerClientConfig;
};

export interface CampaignControl {
  readonly triggers: CampaignTriggers;
  readonly schedules: OneOffSchedules;
}

/** Builds the clients once (call it at cold start, in module scope). */
export function campaignControlFor(settings: CampaignControlSettings, clock: Clock): CampaignControl {
  const eventBridge = new EventBridgeClient({ ...boundedClientConfig(CONTROL_CLIENT_LIMITS), ...settings.eventBridge });
  const scheduler = new SchedulerClient({ ...boundedClientConfig(CONTROL_CLIENT_LIMITS), ...settings.scheduler });
  return {
    triggers: eventBridgeCampaignTriggers(eventBridge, { busName: EVENT_BUS_NAME, targetArn: settings.triggerArn, deadLetterArn: settings.deadLetterArn }),
    schedules: schedulerOneOffSchedules(
      scheduler,
      {
        group: settings.scheduleGroup,
        roleArn: settings.schedulerRoleArn,
        targets: { campaignStarter: settings.starterArn, campaignTrigger: settings.triggerArn },
        deadLetterArn: settings.deadLetterArn,
      },
      clock,
    ),
  };
}
