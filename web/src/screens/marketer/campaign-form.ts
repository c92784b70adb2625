import type { components } from '../../../../clients/typescript/ecrm-api.ts';

// Pure helpers of the campaign screens: the create form -> POST /campaigns body, and which life
// cycle moves a campaign's status offers (the API refuses the others with 409 campaign-state).

type Schemas = components['schemas'];
export type CampaignInput = Schemas['CampaignInput'];
export type CampaignStatus = Schemas['Campaign']['status'];
export type TriggerEvent = Schemas['CampaignTrigger']['event'];

export const TRIGGER_EVENTS = ['CustomerCreated', 'InteractionRecorded', 'CaseStatusChanged', 'ConsentConfirmed'] as const satisfies readonly TriggerEvent[];

export interface CampaignForm {
  name: string;
  topic: string;
  segmentId: string;
  subject: string;
  text: string;
  /** Scheduled (sent once at a time) or triggered (sent on an event while active). */
  kind: 'scheduled' | 'triggered';
  /** `datetime-local` value, the browser's local time; empty: schedule later. */
  at: string;
  event: TriggerEvent;
}

export const EMPTY_CAMPAIGN: CampaignForm = { name: '', topic: '', segmentId: '', subject: '', text: '', kind: 'scheduled', at: '', event: 'CustomerCreated' };

/** A `datetime-local` value (local time) as the API's ISO instant; '' stays '' (the schema names it). */
export function instantOf(local: string): string {
  if (local.trim() === '') return '';
  const ms = Date.parse(local);
  return Number.isNaN(ms) ? local : new Date(ms).toISOString();
}

export function campaignBody(form: CampaignForm): CampaignInput {
  const base: CampaignInput = {
    name: form.name.trim(),
    topic: form.topic,
    audience: { segmentId: form.segmentId },
    template: { subject: form.subject.trim(), text: form.text },
  };
  if (form.kind === 'triggered') return { ...base, trigger: { event: form.event } };
  return form.at.trim() ? { ...base, schedule: { at: instantOf(form.at) } } : base;
}

export type Move = 'schedule' | 'activate' | 'pause' | 'resume' | 'cancel';

/** The moves the life cycle has from a status (README "Campaigns": life cycle). */
export function movesOf(campaign: { status: CampaignStatus; trigger: unknown }): Move[] {
  switch (campaign.status) {
    case 'draft':
      return [campaign.trigger ? 'activate' : 'schedule', 'cancel'];
    case 'scheduled':
    case 'active':
    case 'running':
      return ['pause', 'cancel'];
    case 'paused':
      return ['resume', 'cancel'];
    default:
      return [];
  }
}

export const MOVE_LABELS: Record<Move, string> = { schedule: 'Schedule', activate: 'Activate', pause: 'Pause', resume: 'Resume', cancel: 'Cancel campaign' };
