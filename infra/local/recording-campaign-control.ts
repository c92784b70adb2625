import type { CampaignControl } from '#functions/campaigns/campaigns.composition.ts';

// TEMPORARY (issue 10, until the merge): the local runtime's campaign control plane records what
// the campaign API asks of it, for the e2e tests, until the real adapters (the local bus's rule
// API, the local scheduler's Scheduler API, the sender's resume) are wired in infra/local/functions.ts.

export type ControlCall =
  | { readonly port: 'triggers'; readonly op: 'enable'; readonly campaignId: string; readonly pattern: Record<string, unknown> }
  | { readonly port: 'triggers'; readonly op: 'disable'; readonly campaignId: string }
  | { readonly port: 'schedules'; readonly op: 'at'; readonly name: string; readonly at: string; readonly target: string; readonly input: Record<string, unknown> }
  | { readonly port: 'schedules'; readonly op: 'cancel'; readonly name: string }
  | { readonly port: 'sending'; readonly op: 'resume'; readonly campaignId: string };

/** Every call of every local runtime in this process (campaign ids are unique, so tests filter by them). */
export const localControlCalls: ControlCall[] = [];

export function recordingCampaignControl(calls: ControlCall[] = localControlCalls): CampaignControl {
  return {
    triggers: {
      enable: async (campaignId, pattern) => void calls.push({ port: 'triggers', op: 'enable', campaignId, pattern }),
      disable: async (campaignId) => void calls.push({ port: 'triggers', op: 'disable', campaignId }),
    },
    schedules: {
      at: async (name, at, target, input) => void calls.push({ port: 'schedules', op: 'at', name, at, target, input }),
      cancel: async (name) => void calls.push({ port: 'schedules', op: 'cancel', name }),
    },
    sending: { resume: async (campaignId) => void calls.push({ port: 'sending', op: 'resume', campaignId }) },
  };
}
