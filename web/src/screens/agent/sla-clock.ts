import type { components } from '../../../../clients/typescript/ecrm-api.ts';

// The inbox and the case page read a case's SLA from the API's own due times and breach records;
// nothing here recomputes business hours (the API owns that), it only says how far `now` is from them.

type Case = components['schemas']['Case'];
export type SlaCase = Pick<Case, 'status' | 'firstRespondedAt' | 'sla' | 'number'>;
export type Milestone = 'firstResponse' | 'resolution';

/**
 * `breached`: the API recorded a breach (the SLA sweep ran); `overdue`: the due time has passed on
 * this screen's clock but the sweep has not recorded it yet; `at-risk`: the API sent its warning;
 * `paused`: pending / on hold stops the resolution clock; `done`: solved or closed, nothing runs.
 */
export type SlaState = 'breached' | 'overdue' | 'at-risk' | 'on-track' | 'paused' | 'done';

export interface SlaView {
  readonly state: SlaState;
  /** The state in words, so that colour is never the only signal. */
  readonly label: string;
  /** The milestone the clock runs for now (null once solved or closed). */
  readonly milestone: Milestone | null;
  readonly dueAt: string | null;
  /** dueAt - now in milliseconds (negative once past); null when no clock runs. */
  readonly remainingMs: number | null;
  /** The countdown in words: "2h 05m 09s left", "12m 30s over", "paused". */
  readonly countdown: string;
  /** Milestones the API recorded as breached. */
  readonly breachedMilestones: readonly Milestone[];
  /** Breaches of a milestone whose clock no longer runs (a late first response), said beside the running one. */
  readonly earlierBreaches: readonly Milestone[];
}

export const MILESTONE_WORDS: Record<Milestone, string> = { firstResponse: 'first response', resolution: 'resolution' };

const STATE_WORDS: Record<SlaState, string> = {
  breached: 'Breached',
  overdue: 'Overdue',
  'at-risk': 'At risk',
  'on-track': 'On track',
  paused: 'Paused',
  done: 'Done',
};

/** The milestone whose clock runs: first response until a public staff reply, then resolution. */
export function activeMilestone(c: SlaCase): Milestone | null {
  if (c.status === 'solved' || c.status === 'closed') return null;
  return c.firstRespondedAt === null ? 'firstResponse' : 'resolution';
}

/** The case's SLA as the screens show it, at `nowMs` (the screen's clock, ticking every second). */
export function slaView(c: SlaCase, nowMs: number): SlaView {
  const breachedMilestones = [...new Set(c.sla.breaches.map((b) => b.milestone))];
  const milestone = activeMilestone(c);
  if (milestone === null) {
    const state = breachedMilestones.length > 0 ? 'breached' : 'done';
    return { state, label: STATE_WORDS[state], milestone, dueAt: null, remainingMs: null, countdown: c.status, breachedMilestones, earlierBreaches: [] };
  }
  const dueAt = milestone === 'firstResponse' ? c.sla.firstResponseDueAt : c.sla.resolutionDueAt;
  // Pending and on hold stop the resolution clock (the API pushes the due time when it resumes);
  // the first-response clock keeps running, so a paused case still owes its first answer.
  const running = runningDueAt(c);
  const paused = running === null;
  const remainingMs = running === null ? null : Date.parse(running) - nowMs;
  const state: SlaState =
    breachedMilestones.includes(milestone)
      ? 'breached'
      : paused
        ? 'paused'
        : remainingMs! <= 0
          ? 'overdue'
          : c.sla.warned.includes(milestone)
            ? 'at-risk'
            : 'on-track';
  const countdown = remainingMs === null ? 'paused' : remainingMs > 0 ? `${formatDuration(remainingMs)} left` : `${formatDuration(-remainingMs)} over`;
  const earlierBreaches = breachedMilestones.filter((m) => m !== milestone);
  return { state, label: STATE_WORDS[state], milestone, dueAt, remainingMs, countdown, breachedMilestones, earlierBreaches };
}

/** "45s", "12m 05s", "3h 04m 05s", "2d 03h 04m": seconds while they matter, days when they do not. */
export function formatDuration(ms: number): string {
  const total = Math.floor(Math.abs(ms) / 1000);
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  if (days > 0) return `${days}d ${two(hours)}h ${two(minutes)}m`;
  if (hours > 0) return `${hours}h ${two(minutes)}m ${two(seconds)}s`;
  if (minutes > 0) return `${minutes}m ${two(seconds)}s`;
  return `${seconds}s`;
}

/**
 * The inbox order: the soonest (or longest past) running due time first; paused and finished cases
 * after every running clock; ties by case number, so the order is stable between ticks.
 */
export function sortBySlaDue<T extends SlaCase>(cases: readonly T[]): T[] {
  const key = (c: T) => {
    const due = runningDueAt(c);
    return due === null ? Number.POSITIVE_INFINITY : Date.parse(due);
  };
  return cases
    .map((c) => ({ c, k: key(c) }))
    .sort((a, b) => a.k - b.k || caseNumber(a.c.number) - caseNumber(b.c.number))
    .map(({ c }) => c);
}

/** The due time of the clock that runs now, or null when none does (paused, solved, closed). */
export function runningDueAt(c: SlaCase): string | null {
  const milestone = activeMilestone(c);
  if (milestone === 'firstResponse') return c.sla.firstResponseDueAt;
  if (milestone === 'resolution' && c.sla.pausedSince === null) return c.sla.resolutionDueAt;
  return null;
}

function caseNumber(number: string) {
  const n = Number(number.replace(/^\D+/, ''));
  return Number.isFinite(n) ? n : 0;
}
