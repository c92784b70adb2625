import type { EventBridgeClientConfig } from '@aws-sdk/client-eventbridge';
import type { CampaignTriggers, OneOffSchedules } from '#domain/campaigns/campaign.ports.ts';
import type { Clock } from '#domain/shared/ports.ts';
import { EVENT_BUS_NAME } from '#events/define-event.ts';
import type { campaignControlConfig } from '../shared/config.ts';
import { lazyPort } from '../shared/lazy.ts';
import type { OneOffScheduleClientSettings } from '../shared/one-off-schedules.ts';

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

/**
 * Call it once, in module scope. Each SDK client (EventBridge, Scheduler) is built, and its code
 * loaded (a chunk of its own), by the first call that needs it: most requests change no rule and
 * no schedule.
 */
export function campaignControlFor(settings: CampaignControlSettings, clock: Clock): CampaignControl {
  return {
    triggers: lazyPort(async () =>
      (await import('./campaign-triggers.ts')).eventBridgeCampaignTriggersFor(settings.eventBridge, { busName: EVENT_BUS_NAME, targetArn: settings.triggerArn, deadLetterArn: settings.deadLetterArn }),
    ),
    schedules: lazyPort(async () => (await import('../shared/one-off-schedules.ts')).oneOffSchedulesFor(settings.schedules, clock)),
  };
}
