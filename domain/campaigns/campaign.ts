import { CampaignPaused } from '#events/campaign-paused.event.ts';
import { CampaignScheduled } from '#events/campaign-scheduled.event.ts';
import type { DomainEvent } from '#events/define-event.ts';
import { ConflictError, type FieldIssue, NotFoundError, UnprocessableError, ValidationError } from '../shared/errors.ts';
import type { Campaign, CampaignInput, CampaignPatch, CampaignStatus } from './campaign.schema.ts';
import { templateIssues } from './template.ts';
import { whereIssues } from './trigger.ts';

// The campaign's life cycle, pure: each command returns the new state and the events it causes;
// the use case drives the ports (schedule, rule, sending) and commits both in one transaction.
//
//   draft --schedule--> scheduled --(starter)--> running --(sender)--> completed
//   draft --activate--> active
//   scheduled | active | running --pause--> paused --resume--> the status it was paused from
//   draft | scheduled | active | paused | running --cancel--> cancelled
// completed and cancelled are final.

export type CampaignAction = 'schedule' | 'activate' | 'pause' | 'resume' | 'cancel' | 'edit';

/** Where each action may start from. */
export const ALLOWED_FROM: Readonly<Record<CampaignAction, readonly CampaignStatus[]>> = {
  schedule: ['draft'],
  activate: ['draft'],
  pause: ['scheduled', 'active', 'running'],
  resume: ['paused'],
  cancel: ['draft', 'scheduled', 'active', 'paused', 'running'],
  edit: ['draft', 'scheduled', 'active', 'paused'],
};

const DONE: Readonly<Record<CampaignAction, string>> = { schedule: 'scheduled', activate: 'activated', pause: 'paused', resume: 'resumed', cancel: 'cancelled', edit: 'changed' };

export interface CampaignChange {
  readonly campaign: Campaign;
  readonly events: DomainEvent[];
}

export class CampaignStateError extends ConflictError {
  override readonly code = 'campaign-state';
  constructor(action: CampaignAction, status: CampaignStatus, why?: string) {
    super(why ?? `A ${status} campaign cannot be ${DONE[action]}; only ${ALLOWED_FROM[action].join(', ')} ones can.`);
  }
}

export class UnknownSegmentError extends UnprocessableError {
  override readonly code = 'unknown-segment';
  constructor(id: string) {
    super(`No segment ${id}; POST /segments creates one.`);
  }
}

export class CampaignNotFoundError extends NotFoundError {
  constructor(id: string) {
    super(`No campaign ${id}.`);
  }
}

/** A customer a preview names that does not exist (or was erased or merged away). */
export class PreviewCustomerError extends UnprocessableError {
  override readonly code = 'unknown-customer';
  constructor(id: string) {
    super(`No customer ${id} to render the message for.`);
  }
}

export class AddressSuppressedError extends UnprocessableError {
  override readonly code = 'address-suppressed';
  constructor() {
    super('This address is suppressed (a hard bounce or a complaint); nothing was sent. DELETE /suppressions/{email} lifts it.');
  }
}

function ensure(action: CampaignAction, c: Campaign): void {
  if (!ALLOWED_FROM[action].includes(c.status)) throw new CampaignStateError(action, c.status);
}

type Shape = Pick<Campaign, 'template' | 'schedule' | 'trigger'>;

/** Everything a campaign's content must satisfy, create and patch alike (400, naming each field). */
export function contentIssues(c: Shape): FieldIssue[] {
  return [
    ...templateIssues(c.template),
    ...(c.schedule && c.trigger ? [{ path: 'trigger', message: 'a campaign is either scheduled (schedule) or triggered (trigger), not both' }] : []),
    ...(c.trigger ? whereIssues({ event: c.trigger.event, where: c.trigger.where }) : []),
  ];
}

function refuse(issues: readonly FieldIssue[]): void {
  if (issues.length) throw new ValidationError(`The campaign is not valid: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}.`, issues);
}

function futureIssue(at: string, now: Date, path: string): FieldIssue[] {
  return Date.parse(at) > now.getTime() ? [] : [{ path, message: 'must be in the future' }];
}

const iso = (at: string) => new Date(at).toISOString();

const normalTrigger = (t: NonNullable<CampaignInput['trigger']>): NonNullable<Campaign['trigger']> => ({ event: t.event, where: t.where ?? {}, delayMinutes: t.delayMinutes ?? 0 });

export function draftCampaign(input: CampaignInput, id: string, now: Date): Campaign {
  const at = now.toISOString();
  const campaign: Campaign = {
    id,
    name: input.name,
    topic: input.topic,
    template: { subject: input.template.subject, text: input.template.text, html: input.template.html ?? null },
    audience: { segmentId: input.audience.segmentId },
    schedule: input.schedule ? { at: iso(input.schedule.at) } : null,
    trigger: input.trigger ? normalTrigger(input.trigger) : null,
    holdIfOpenCase: input.holdIfOpenCase ?? null,
    frequencyCap: input.frequencyCap ?? null,
    status: 'draft',
    pausedFrom: null,
    createdAt: at,
    updatedAt: at,
    startedAt: null,
    completedAt: null,
    version: 1,
  };
  refuse(contentIssues(campaign));
  return campaign;
}

/** The status a campaign is in, or would resume to: what its schedule and trigger must fit. */
const effectiveStatus = (c: Campaign): CampaignStatus => (c.status === 'paused' && c.pausedFrom ? c.pausedFrom : c.status);

/**
 * JSON merge patch: null clears an optional field. A scheduled campaign keeps a schedule in the
 * future, an active one keeps a trigger. `rescheduled` / `retriggered` tell the use case to move
 * the one-off schedule / replace the rule.
 */
export function patchCampaign(current: Campaign, patch: CampaignPatch, now: Date): CampaignChange & { rescheduled: boolean; retriggered: boolean } {
  ensure('edit', current);
  const next: Campaign = {
    ...current,
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.topic !== undefined ? { topic: patch.topic } : {}),
    ...(patch.template !== undefined ? { template: { subject: patch.template.subject, text: patch.template.text, html: patch.template.html ?? null } } : {}),
    ...(patch.audience !== undefined ? { audience: { segmentId: patch.audience.segmentId } } : {}),
    ...(patch.schedule !== undefined ? { schedule: patch.schedule ? { at: iso(patch.schedule.at) } : null } : {}),
    ...(patch.trigger !== undefined ? { trigger: patch.trigger ? normalTrigger(patch.trigger) : null } : {}),
    ...(patch.holdIfOpenCase !== undefined ? { holdIfOpenCase: patch.holdIfOpenCase } : {}),
    ...(patch.frequencyCap !== undefined ? { frequencyCap: patch.frequencyCap } : {}),
  };
  const status = effectiveStatus(current);
  const scheduleChanged = next.schedule?.at !== current.schedule?.at;
  const issues = contentIssues(next);
  if (status === 'scheduled') {
    if (!next.schedule) issues.push({ path: 'schedule', message: 'a scheduled campaign keeps its schedule (pause or cancel it instead)' });
    else if (scheduleChanged && current.status === 'scheduled') issues.push(...futureIssue(next.schedule.at, now, 'schedule.at'));
  }
  if (status === 'active' && !next.trigger) issues.push({ path: 'trigger', message: 'an active campaign keeps its trigger (pause or cancel it instead)' });
  // Once it started sending, who gets it and under which consent stay as they were.
  if (status === 'running') {
    for (const field of ['topic', 'audience', 'schedule', 'trigger'] as const) {
      if (patch[field] !== undefined) issues.push({ path: field, message: 'cannot change once the campaign has started sending' });
    }
  }
  refuse(issues);
  const changed = JSON.stringify({ ...next, updatedAt: '', version: 0 }) !== JSON.stringify({ ...current, updatedAt: '', version: 0 });
  if (!changed) return { campaign: current, events: [], rescheduled: false, retriggered: false };
  const campaign = { ...next, updatedAt: now.toISOString(), version: current.version + 1 };
  const rescheduled = current.status === 'scheduled' && scheduleChanged;
  const retriggered = current.status === 'active' && JSON.stringify(next.trigger) !== JSON.stringify(current.trigger);
  return { campaign, events: rescheduled ? [CampaignScheduled.of({ campaignId: current.id, at: campaign.schedule!.at })] : [], rescheduled, retriggered };
}

const moved = (c: Campaign, changes: Partial<Campaign>, now: Date): Campaign => ({ ...c, ...changes, updatedAt: now.toISOString(), version: c.version + 1 });

/** `at` from the request or the campaign's schedule; it must be in the future. */
export function scheduleCampaign(current: Campaign, at: string | undefined, now: Date): CampaignChange {
  ensure('schedule', current);
  if (current.trigger) throw new CampaignStateError('schedule', current.status, 'A triggered campaign is activated, not scheduled.');
  const when = at ?? current.schedule?.at;
  if (!when) throw new ValidationError('Say when: send {"at": ...} or set the campaign\'s schedule.at.', [{ path: 'at', message: 'is required when the campaign has no schedule.at' }]);
  refuse(futureIssue(when, now, at !== undefined ? 'at' : 'schedule.at'));
  const campaign = moved(current, { status: 'scheduled', schedule: { at: iso(when) } }, now);
  return { campaign, events: [CampaignScheduled.of({ campaignId: current.id, at: campaign.schedule!.at })] };
}

export function activateCampaign(current: Campaign, now: Date): CampaignChange {
  ensure('activate', current);
  if (!current.trigger) throw new CampaignStateError('activate', current.status, 'Only a campaign with a trigger can be activated; schedule a one-off campaign instead.');
  return { campaign: moved(current, { status: 'active' }, now), events: [] };
}

export function pauseCampaign(current: Campaign, now: Date): CampaignChange {
  ensure('pause', current);
  return { campaign: moved(current, { status: 'paused', pausedFrom: current.status }, now), events: [CampaignPaused.of({ campaignId: current.id, from: current.status })] };
}

/** Back to where it was paused; a schedule whose time passed meanwhile starts as soon as possible. */
export function resumeCampaign(current: Campaign, now: Date): CampaignChange {
  ensure('resume', current);
  const to = current.pausedFrom ?? 'draft';
  if (to === 'scheduled') {
    const due = current.schedule && Date.parse(current.schedule.at) > now.getTime() ? current.schedule.at : now.toISOString();
    const campaign = moved(current, { status: 'scheduled', pausedFrom: null, schedule: { at: due } }, now);
    return { campaign, events: [CampaignScheduled.of({ campaignId: current.id, at: due })] };
  }
  return { campaign: moved(current, { status: to, pausedFrom: null }, now), events: [] };
}

export function cancelCampaign(current: Campaign, now: Date): CampaignChange {
  ensure('cancel', current);
  return { campaign: moved(current, { status: 'cancelled', pausedFrom: null }, now), events: [] };
}
