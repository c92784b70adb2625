import type { Case, Milestone, Priority } from './case.schema.ts';
import { addWorkingMinutes } from './sla-calendar.ts';
import { calendarFor, type SlaPolicy } from './sla-policy.ts';

// SLA arithmetic of one case. Due times count working minutes of the policy's calendar from the
// case's start; the resolution clock also skips the minutes it stood paused.

export interface DueTimes {
  readonly firstResponseDueAt: string;
  readonly resolutionDueAt: string;
}

function budget(policy: SlaPolicy, priority: Priority, milestone: Milestone): number {
  const target = policy.targets[priority];
  return milestone === 'firstResponse' ? target.firstResponseMinutes : target.resolutionMinutes;
}

export function dueTimes(policy: SlaPolicy, priority: Priority, openedAt: Date, pausedMinutes: number): DueTimes {
  const calendar = calendarFor(policy, priority);
  return {
    firstResponseDueAt: addWorkingMinutes(calendar, openedAt, budget(policy, priority, 'firstResponse')).toISOString(),
    resolutionDueAt: addWorkingMinutes(calendar, openedAt, budget(policy, priority, 'resolution') + Math.round(pausedMinutes)).toISOString(),
  };
}

/** When the assignee is warned: `warnAtPercent` of the milestone's budget after the start. */
export function warningAt(policy: SlaPolicy, c: Pick<Case, 'createdAt' | 'sla'>, milestone: Milestone): Date {
  const minutes = Math.ceil((budget(policy, c.sla.priority, milestone) * policy.warnAtPercent) / 100);
  const paused = milestone === 'resolution' ? Math.round(c.sla.pausedMinutes) : 0;
  return addWorkingMinutes(calendarFor(policy, c.sla.priority), new Date(c.createdAt), minutes + paused);
}

export function isMet(c: Pick<Case, 'firstRespondedAt' | 'solvedAt' | 'status'>, milestone: Milestone): boolean {
  if (milestone === 'firstResponse') return c.firstRespondedAt !== null;
  return c.solvedAt !== null || c.status === 'solved' || c.status === 'closed';
}

export const dueAtOf = (c: Pick<Case, 'sla'>, milestone: Milestone) =>
  milestone === 'firstResponse' ? c.sla.firstResponseDueAt : c.sla.resolutionDueAt;

/** A milestone is watched while it is unmet, not paused, and its current due time not yet breached. */
export function isWatched(c: Case, milestone: Milestone): boolean {
  // A solved or closed case is done: an unanswered first response no longer matters either.
  if (isMet(c, milestone) || c.status === 'solved' || c.status === 'closed') return false;
  if (milestone === 'resolution' && c.sla.pausedSince !== null) return false;
  const due = dueAtOf(c, milestone);
  return !c.sla.breaches.some((b) => b.milestone === milestone && b.dueAt === due);
}

export interface SlaDue {
  readonly warnings: Milestone[];
  readonly breaches: { milestone: Milestone; dueAt: string }[];
}

/** What became due by `now`: warnings not yet sent and breaches not yet recorded. */
export function dueChecks(c: Case, policy: SlaPolicy, now: Date): SlaDue {
  const warnings: Milestone[] = [];
  const breaches: { milestone: Milestone; dueAt: string }[] = [];
  for (const milestone of ['firstResponse', 'resolution'] as const) {
    if (!isWatched(c, milestone)) continue;
    const dueAt = dueAtOf(c, milestone);
    if (now.getTime() >= Date.parse(dueAt)) breaches.push({ milestone, dueAt });
    else if (!c.sla.warned.includes(milestone) && now >= warningAt(policy, c, milestone)) warnings.push(milestone);
  }
  return { warnings, breaches };
}

/** The next instant anything about this case's SLA becomes due; null when nothing is watched. */
export function nextCheckAt(c: Case, policy: SlaPolicy): string | null {
  let next: number | null = null;
  for (const milestone of ['firstResponse', 'resolution'] as const) {
    if (!isWatched(c, milestone)) continue;
    const at = c.sla.warned.includes(milestone) ? Date.parse(dueAtOf(c, milestone)) : warningAt(policy, c, milestone).getTime();
    next = next === null ? at : Math.min(next, at);
  }
  return next === null ? null : new Date(next).toISOString();
}
