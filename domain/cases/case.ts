import { CaseAssigned } from '#events/case-assigned.event.ts';
import { CaseCommented } from '#events/case-commented.event.ts';
import { withArticleFooter } from './article-links.ts';
import { CaseEscalated } from '#events/case-escalated.event.ts';
import { CaseOpened } from '#events/case-opened.event.ts';
import { CasePriorityChanged } from '#events/case-priority-changed.event.ts';
import { CaseSlaBreached } from '#events/case-sla-breached.event.ts';
import { CaseSlaWarning } from '#events/case-sla-warning.event.ts';
import { CaseStatusChanged } from '#events/case-status-changed.event.ts';
import { CaseUpdated } from '#events/case-updated.event.ts';
import type { DomainEvent } from '#events/define-event.ts';
import { CaseNotFoundError, ConflictError, UnprocessableError } from '../shared/errors.ts';
import { dueTimes, type SlaDue } from './case-sla.ts';
import {
  type Case,
  type CasePatch,
  type CaseStatus,
  type Comment,
  type CommentArticle,
  type CommentInput,
  type CreateCaseInput,
  type Satisfaction,
  formatCaseNumber,
  type Milestone,
  type Priority,
  PRIORITIES,
} from './case.schema.ts';
import { workingMinutesBetween } from './sla-calendar.ts';
import { calendarFor, type SlaPolicy } from './sla-policy.ts';

// Entity commands: each returns the new state and the events it causes.

export interface CaseChange {
  readonly case: Case;
  readonly events: DomainEvent[];
}

/** Allowed status moves; anything else is a 409. A closed case is read-only. */
export const STATUS_MOVES: Record<CaseStatus, readonly CaseStatus[]> = {
  open: ['pending', 'on_hold', 'solved'],
  pending: ['open', 'solved'],
  on_hold: ['open', 'solved'],
  solved: ['open', 'closed'],
  closed: [],
};
/** The resolution clock stands still in these states (solved: until reopened). */
const PAUSED: readonly CaseStatus[] = ['pending', 'on_hold', 'solved'];

export class CaseClosedError extends ConflictError {
  override readonly code = 'case-closed';
  constructor(number: string) {
    super(`Case ${number} is closed and cannot change.`);
  }
}

export class QueueEmptyError extends UnprocessableError {
  override readonly code = 'queue-empty';
  constructor(queue: string) {
    super(`Queue ${queue} has no members to assign to.`);
  }
}

export class StatusMoveError extends ConflictError {
  override readonly code = 'status-move';
  constructor(from: CaseStatus, to: CaseStatus) {
    super(`A case cannot move from ${from} to ${to}.`);
  }
}

export function openCase(input: CreateCaseInput, id: string, number: number, now: Date, policy: SlaPolicy): CaseChange {
  const at = now.toISOString();
  const opened: Case = {
    id,
    number: formatCaseNumber(number),
    customerId: input.customerId,
    subject: input.subject,
    description: input.description ?? null,
    status: 'open',
    priority: input.priority,
    channel: input.channel,
    queue: input.queue,
    assigneeId: null,
    tags: input.tags ?? [],
    createdAt: at,
    updatedAt: at,
    firstRespondedAt: null,
    solvedAt: null,
    closedAt: null,
    escalationLevel: 0,
    sla: { policyVersion: policy.version, priority: input.priority, ...dueTimes(policy, input.priority, now, 0), pausedSince: null, pausedMinutes: 0, breaches: [], warned: [] },
    satisfaction: null,
    version: 1,
  };
  return {
    case: opened,
    events: [
      CaseOpened.of({ caseId: id, number: opened.number, customerId: opened.customerId, queue: opened.queue, priority: opened.priority, channel: opened.channel }),
    ],
  };
}

function bump(c: Case, now: Date): Case {
  return { ...c, updatedAt: now.toISOString(), version: c.version + 1 };
}

function writable(c: Case): void {
  if (c.status === 'closed') throw new CaseClosedError(c.number);
}

/** PATCH: subject, priority, queue, tags, status. A manual priority change recomputes the due times. */
export function changeCase(current: Case, patch: CasePatch, now: Date, policy: SlaPolicy): CaseChange & { changed: string[] } {
  writable(current);
  let next: Case = { ...current, sla: { ...current.sla } };
  const events: DomainEvent[] = [];
  const changed: string[] = [];
  if (patch.subject !== undefined && patch.subject !== current.subject) {
    next.subject = patch.subject;
    changed.push('subject');
  }
  if (patch.queue !== undefined && patch.queue !== current.queue) {
    next.queue = patch.queue;
    changed.push('queue');
  }
  if (patch.tags !== undefined && JSON.stringify(patch.tags) !== JSON.stringify(current.tags)) {
    next.tags = patch.tags;
    changed.push('tags');
  }
  if (patch.status !== undefined && patch.status !== current.status) {
    next = moveStatus(next, patch.status, now, policy);
    changed.push('status');
    events.push(CaseStatusChanged.of({ caseId: current.id, customerId: current.customerId, from: current.status, to: patch.status }));
  }
  if (patch.priority !== undefined && patch.priority !== current.priority) {
    next.priority = patch.priority;
    next.sla = { ...next.sla, priority: patch.priority, ...dueTimes(policy, patch.priority, new Date(current.createdAt), next.sla.pausedMinutes), warned: [] };
    changed.push('priority');
    events.push(CasePriorityChanged.of({ caseId: current.id, from: current.priority, priority: patch.priority, reason: 'manual' }));
  }
  if (changed.length === 0) return { case: current, events: [], changed };
  events.unshift(CaseUpdated.of({ caseId: current.id, changed }));
  return { case: bump(next, now), events, changed };
}

function moveStatus(c: Case, to: CaseStatus, now: Date, policy: SlaPolicy): Case {
  if (!STATUS_MOVES[c.status].includes(to)) throw new StatusMoveError(c.status, to);
  const at = now.toISOString();
  const next: Case = { ...c, status: to, sla: { ...c.sla } };
  if (to !== 'closed') {
    // Close the running pause (pending -> solved as much as pending -> open), then start a new
    // one if the new status stops the clock. A closed case's SLA is final and stays as it was.
    if (c.sla.pausedSince) {
      const calendar = calendarFor(policy, c.sla.priority);
      next.sla.pausedMinutes = c.sla.pausedMinutes + workingMinutesBetween(calendar, new Date(c.sla.pausedSince), now);
      next.sla.pausedSince = null;
      next.sla.resolutionDueAt = dueTimes(policy, c.sla.priority, new Date(c.createdAt), next.sla.pausedMinutes).resolutionDueAt;
    }
    if (PAUSED.includes(to)) next.sla.pausedSince = at;
  }
  if (to === 'solved') next.solvedAt = at;
  if (to === 'open' && c.status === 'solved') next.solvedAt = null;
  if (to === 'closed') next.closedAt = at;
  return next;
}

export function commentOn(
  current: Case,
  input: CommentInput,
  author: { id: string; type: 'staff' | 'customer' },
  commentId: string,
  now: Date,
  articles: readonly CommentArticle[] = [],
): CaseChange & { comment: Comment } {
  writable(current);
  const at = now.toISOString();
  // A public comment carries the links in its body too, so every place that shows it (the customer's
  // timeline, /me, email) shows the public URLs.
  const body = input.visibility === 'public' ? withArticleFooter(input.body, articles) : input.body;
  const comment: Comment = { id: commentId, caseId: current.id, body, visibility: input.visibility, authorId: author.id, authorType: author.type, createdAt: at, articles: [...articles] };
  const firstResponse = current.firstRespondedAt === null && author.type === 'staff' && input.visibility === 'public';
  const next = bump({ ...current, ...(firstResponse ? { firstRespondedAt: at } : {}) }, now);
  return {
    case: next,
    comment,
    events: [CaseCommented.of({ caseId: current.id, commentId, visibility: input.visibility, firstResponse })],
  };
}

export function assignCase(current: Case, assigneeId: string | null, now: Date): CaseChange {
  writable(current);
  if (current.assigneeId === assigneeId) return { case: current, events: [] };
  return {
    case: bump({ ...current, assigneeId }, now),
    events: [CaseAssigned.of({ caseId: current.id, assigneeId, queue: current.queue })],
  };
}

/** Records what the SLA sweep found due: warnings to send and breaches to escalate. */
export function recordSlaDue(current: Case, due: SlaDue, now: Date): CaseChange {
  if (due.warnings.length === 0 && due.breaches.length === 0) return { case: current, events: [] };
  const at = now.toISOString();
  const next: Case = {
    ...current,
    sla: {
      ...current.sla,
      warned: [...current.sla.warned, ...due.warnings],
      breaches: [...current.sla.breaches, ...due.breaches.map((b) => ({ ...b, at, escalated: false }))],
    },
  };
  return {
    case: bump(next, now),
    events: [
      ...due.warnings.map((milestone) =>
        CaseSlaWarning.of({ caseId: current.id, milestone, dueAt: milestone === 'firstResponse' ? current.sla.firstResponseDueAt : current.sla.resolutionDueAt, assigneeId: current.assigneeId }),
      ),
      ...due.breaches.map((b) => CaseSlaBreached.of({ caseId: current.id, milestone: b.milestone, dueAt: b.dueAt, level: current.escalationLevel + 1 })),
    ],
  };
}

const raise = (p: Priority): Priority => PRIORITIES[Math.min(PRIORITIES.indexOf(p) + 1, PRIORITIES.length - 1)]!;

const breachIndex = (c: Case, breach: { milestone: Milestone; dueAt: string }) =>
  c.sla.breaches.findIndex((b) => b.milestone === breach.milestone && b.dueAt === breach.dueAt);

/** True while this recorded breach still waits for its escalation (and the case is not finished). */
export function escalationPending(c: Case, breach: { milestone: Milestone; dueAt: string }): boolean {
  const recorded = c.sla.breaches[breachIndex(c, breach)];
  return recorded !== undefined && !recorded.escalated && c.status !== 'closed' && c.status !== 'solved';
}

/**
 * Escalates one recorded breach: level + 1, priority one step up, to the queue's `escalateTo`.
 * A case that moves to another queue leaves its assignee for `assigneeThere` (the member picked
 * in the new queue, or null: unassigned, so its notices go to the new queue's managers).
 * Due times stay (a raised priority would otherwise breach again at once). Returns no change
 * when this breach was escalated already (duplicate delivery) or the case is finished.
 */
export function escalateCase(
  current: Case,
  breach: { milestone: Milestone; dueAt: string },
  escalateTo: string | null,
  now: Date,
  assigneeThere: string | null = null,
): CaseChange {
  if (!escalationPending(current, breach)) return { case: current, events: [] };
  const index = breachIndex(current, breach);
  const priority = raise(current.priority);
  const breaches = current.sla.breaches.map((b, i) => (i === index ? { ...b, escalated: true } : b));
  const moves = escalateTo !== null && escalateTo !== current.queue;
  const next: Case = {
    ...current,
    escalationLevel: current.escalationLevel + 1,
    priority,
    queue: moves ? escalateTo : current.queue,
    assigneeId: moves ? assigneeThere : current.assigneeId,
    sla: { ...current.sla, breaches },
  };
  const minutesLate = Math.max(0, Math.round((now.getTime() - Date.parse(breach.dueAt)) / 60_000));
  const events: DomainEvent[] = [
    CaseEscalated.of({ caseId: current.id, milestone: breach.milestone, dueAt: breach.dueAt, level: next.escalationLevel, fromQueue: current.queue, queue: next.queue, priority, minutesLate }),
  ];
  if (priority !== current.priority) events.push(CasePriorityChanged.of({ caseId: current.id, from: current.priority, priority, reason: 'escalation' }));
  if (next.assigneeId !== current.assigneeId) events.push(CaseAssigned.of({ caseId: current.id, assigneeId: next.assigneeId, queue: next.queue }));
  return { case: bump(next, now), events };
}

/**
 * The case's customer was merged into another: the case follows (closed ones too, so that the
 * target's erasure reaches it). Not a user edit, so a closed case is no obstacle.
 */
export function moveToCustomer(current: Case, customerId: string, now: Date): CaseChange {
  if (current.customerId === customerId) return { case: current, events: [] };
  return { case: bump({ ...current, customerId }, now), events: [CaseUpdated.of({ caseId: current.id, changed: ['customerId'] })] };
}

/**
 * The customer's survey answer lands on the case (issue 11). A closed case takes it too: closing
 * ends the agents' work, not the customer's say on it.
 */
export function rateCase(current: Case, satisfaction: Satisfaction, now: Date): Case {
  return { ...bump(current, now), satisfaction };
}

// Self-service (/me/cases): what a customer may do to their own case.

/** Another customer's case does not exist for this one (404, the same as an unknown id). */
export function ownedBy(c: Case, customerId: string): Case {
  if (c.customerId !== customerId) throw new CaseNotFoundError(c.id);
  return c;
}

/**
 * The customer's reply: a public comment by the customer. A reply to a pending or solved case
 * reopens it in the same write (CaseStatusChanged, which also cancels a pending satisfaction
 * survey); a closed case refuses it (case-closed).
 */
export function customerReply(current: Case, body: string, commentId: string, now: Date, policy: SlaPolicy): CaseChange & { comment: Comment } {
  const commented = commentOn(current, { body, visibility: 'public' }, { id: current.customerId, type: 'customer' }, commentId, now);
  if (current.status !== 'pending' && current.status !== 'solved') return commented;
  return {
    case: moveStatus(commented.case, 'open', now, policy),
    comment: commented.comment,
    events: [
      ...commented.events,
      CaseUpdated.of({ caseId: current.id, changed: ['status'] }),
      CaseStatusChanged.of({ caseId: current.id, customerId: current.customerId, from: current.status, to: 'open' }),
    ],
  };
}
