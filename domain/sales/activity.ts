import { NotFoundError } from '../shared/errors.ts';
import type { Activity, ActivityInput, ActivityPatch } from './activity.schema.ts';

// Activities' rules (pure): creation and JSON merge patch (completion included).

export class ActivityNotFoundError extends NotFoundError {
  constructor(id: string) {
    super(`No activity with id ${id}.`);
  }
}

export function createActivity(input: ActivityInput, { id, now }: { id: string; now: Date }): Activity {
  const at = now.toISOString();
  return {
    id,
    type: input.type,
    subject: input.subject,
    // Normalised to the canonical ISO form, so equal instants compare equal as strings.
    dueAt: input.dueAt ? new Date(input.dueAt).toISOString() : null,
    customerId: input.customerId ?? null,
    accountId: input.accountId ?? null,
    opportunityId: input.opportunityId ?? null,
    ownerId: input.ownerId,
    completedAt: null,
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
}

/** RFC 7396 on an activity: null clears dueAt; completing keeps the first completedAt (completing twice is fine). */
export function patchActivity(current: Activity, patch: ActivityPatch, now: Date): Activity {
  const next: Activity = { ...current };
  if (patch.subject !== undefined) next.subject = patch.subject;
  if (patch.dueAt !== undefined) next.dueAt = patch.dueAt === null ? null : new Date(patch.dueAt).toISOString();
  if (patch.ownerId !== undefined) next.ownerId = patch.ownerId;
  if (patch.completed === true) next.completedAt = current.completedAt ?? now.toISOString();
  return { ...next, updatedAt: now.toISOString(), version: current.version + 1 };
}

/** What stays of an activity whose customer was erased: no link to the person, and no free text that may name them. */
export const ERASED_SUBJECT = '[erased]';
export function scrubActivity(current: Activity, now: Date): Activity {
  return { ...current, customerId: null, subject: ERASED_SUBJECT, updatedAt: now.toISOString(), version: current.version + 1 };
}

export const isOpen = (activity: Activity) => activity.completedAt === null;

/** The one-off schedule of an activity's due reminder (one per activity: a moved dueAt replaces it). */
export const reminderName = (id: string) => `activity-${id}`;

/**
 * What the reminder schedule should be after a write: `at` the dueAt of an open activity with one
 * (created, or when the dueAt changed or it was reopened — never: completion is final), `cancel`
 * when it was completed or its dueAt cleared, nothing when neither moved.
 */
export function reminderChange(previous: Activity | undefined, next: Activity): { at: string } | 'cancel' | undefined {
  const wanted = isOpen(next) ? next.dueAt : null;
  const had = previous && isOpen(previous) ? previous.dueAt : null;
  if (wanted === had) return undefined;
  return wanted === null ? 'cancel' : { at: wanted };
}

/** Whether a fired reminder still stands: the activity is open and still due at the time it was scheduled for. */
export const reminderStands = (activity: Activity | undefined, dueAt: string): activity is Activity => activity !== undefined && isOpen(activity) && activity.dueAt === dueAt;
