import { describe, expect, it } from 'vitest';
import {
  assignCase,
  CaseClosedError,
  changeCase,
  commentOn,
  escalateCase,
  openCase,
  recordSlaDue,
  StatusMoveError,
} from '../../domain/cases/case.ts';
import type { Case, CaseStatus } from '../../domain/cases/case.schema.ts';
import { DEFAULT_SLA_POLICY } from '../../domain/cases/sla-policy.ts';
import { ConflictError } from '../../domain/shared/errors.ts';
import type { DomainEvent } from '../../events/define-event.ts';
import { caseInput, DESCRIPTION, inStatus, iso, opened, patched, plus, ROUND_POLICY, SUBJECT, summary, T0 } from '../support/case-builders.ts';

const staff = { id: 'ann@agents.test', type: 'staff' as const };
const customer = { id: 'cust-1', type: 'customer' as const };

/** A case with a recorded, not yet escalated, first-response breach. */
function breached(c: Case = opened()): { case: Case; breach: { milestone: 'firstResponse'; dueAt: string } } {
  const breach = { milestone: 'firstResponse' as const, dueAt: c.sla.firstResponseDueAt };
  return { case: recordSlaDue(c, { warnings: [], breaches: [breach] }, new Date(breach.dueAt)).case, breach };
}

describe('openCase', () => {
  it('opens with status open, the formatted number, version 1 and due times from the policy', () => {
    const { case: c, events } = openCase(caseInput(), 'case-1', 1042, new Date(T0), ROUND_POLICY);
    expect(c).toMatchObject({
      id: 'case-1',
      number: 'CASE-1042',
      status: 'open',
      assigneeId: null,
      escalationLevel: 0,
      firstRespondedAt: null,
      solvedAt: null,
      closedAt: null,
      createdAt: T0,
      version: 1,
    });
    expect(c.sla).toEqual({
      policyVersion: 1,
      priority: "normal",
      firstResponseDueAt: iso(T0, 240),
      resolutionDueAt: iso(T0, 960),
      pausedSince: null,
      pausedMinutes: 0,
      breaches: [],
      warned: [],
    });
    expect(summary(events)).toEqual([
      ['CaseOpened', { caseId: 'case-1', number: 'CASE-1042', customerId: 'cust-1', queue: 'support', priority: 'normal', channel: 'email' }],
    ]);
  });
});

describe('status moves', () => {
  const allowed: [CaseStatus, CaseStatus][] = [
    ['open', 'pending'],
    ['open', 'on_hold'],
    ['open', 'solved'],
    ['pending', 'open'],
    ['pending', 'solved'],
    ['on_hold', 'open'],
    ['on_hold', 'solved'],
    ['solved', 'open'],
    ['solved', 'closed'],
  ];

  it.each(allowed)('moves %s -> %s with CaseUpdated and CaseStatusChanged and a new version', (from, to) => {
    const current = inStatus(from);
    const { case: next, events } = patched(current, { status: to }, 60);
    expect(next.status).toBe(to);
    expect(next.version).toBe(current.version + 1);
    expect(next.updatedAt).toBe(iso(T0, 60));
    expect(summary(events)).toEqual([
      ['CaseUpdated', { caseId: 'case-1', changed: ['status'] }],
      ['CaseStatusChanged', { caseId: 'case-1', customerId: 'cust-1', from, to }],
    ]);
  });

  const disallowed: [CaseStatus, CaseStatus][] = [
    ['open', 'closed'],
    ['pending', 'on_hold'],
    ['pending', 'closed'],
    ['on_hold', 'pending'],
    ['on_hold', 'closed'],
    ['solved', 'pending'],
    ['solved', 'on_hold'],
  ];

  it.each(disallowed)('refuses %s -> %s with StatusMoveError, a conflict', (from, to) => {
    const current = inStatus(from);
    let thrown: unknown;
    try {
      patched(current, { status: to }, 60);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(StatusMoveError);
    expect(thrown).toBeInstanceOf(ConflictError);
    expect((thrown as StatusMoveError).kind).toBe('conflict');
    expect((thrown as Error).message).toBe(`A case cannot move from ${from} to ${to}.`);
  });

  it('covers every pair of distinct statuses exactly once (allowed, disallowed, or from closed)', () => {
    const statuses: CaseStatus[] = ['open', 'pending', 'on_hold', 'solved', 'closed'];
    const fromClosed = statuses.filter((s) => s !== 'closed').map((to): [CaseStatus, CaseStatus] => ['closed', to]);
    const listed = [...allowed, ...disallowed, ...fromClosed].map(([a, b]) => `${a}>${b}`).sort();
    const all = statuses.flatMap((a) => statuses.filter((b) => b !== a).map((b) => `${a}>${b}`)).sort();
    expect(listed).toEqual(all);
  });

  it('treats a patch to the current status as no change: same case, no events', () => {
    const current = opened();
    const result = patched(current, { status: 'open' }, 5);
    expect(result.case).toBe(current);
    expect(result.events).toEqual([]);
  });

  it('stamps solvedAt on solve and closedAt on close', () => {
    const solved = patched(opened(), { status: 'solved' }, 30).case;
    expect(solved.solvedAt).toBe(iso(T0, 30));
    const closed = patched(solved, { status: 'closed' }, 90).case;
    expect(closed.closedAt).toBe(iso(T0, 90));
    expect(closed.solvedAt).toBe(iso(T0, 30));
  });
});

describe('a closed case is read-only', () => {
  const closed = inStatus('closed');

  it.each([
    ['a subject change', () => patched(closed, { subject: 'New subject' }, 10)],
    ['a status move back to open', () => patched(closed, { status: 'open' }, 10)],
    ['a tag change', () => patched(closed, { tags: ['vip'] }, 10)],
    ['a comment', () => commentOn(closed, { body: 'Hello?', visibility: 'public' }, staff, 'cm-1', plus(T0, 10))],
    ['an assignment', () => assignCase(closed, 'ann@agents.test', plus(T0, 10))],
  ])('refuses %s with CaseClosedError (409)', (_, command) => {
    expect(command).toThrow(CaseClosedError);
    expect(command).toThrow('Case CASE-1042 is closed and cannot change.');
  });
});

describe('pausing the resolution clock', () => {
  it('pending then open after 45 minutes pushes the 24x7 resolution due time by 45 minutes, not the first response', () => {
    const c = opened();
    const pending = patched(c, { status: 'pending' }, 10).case;
    expect(pending.sla.pausedSince).toBe(iso(T0, 10));
    const resumed = patched(pending, { status: 'open' }, 55).case;
    expect(resumed.sla).toMatchObject({
      pausedSince: null,
      pausedMinutes: 45,
      firstResponseDueAt: c.sla.firstResponseDueAt,
      resolutionDueAt: iso(c.sla.resolutionDueAt, 45),
    });
  });

  it('on_hold pauses the same way, and pauses add up', () => {
    let c = opened();
    c = patched(c, { status: 'on_hold' }, 10).case;
    c = patched(c, { status: 'open' }, 40).case;
    c = patched(c, { status: 'pending' }, 100).case;
    c = patched(c, { status: 'open' }, 120).case;
    expect(c.sla.pausedMinutes).toBe(50);
    expect(c.sla.resolutionDueAt).toBe(iso(T0, 960 + 50));
  });

  it('counts only business minutes of a pause across a weekend (default policy, UTC 09:00-17:00 weekdays)', () => {
    // Opened Friday 2025-01-17 15:00Z as normal: 2880 business minutes = 120 on Friday, then five
    // full days (Mon 20 - Fri 24) and 360 on Monday 27 -> due Mon 27 15:00Z.
    const c = opened({}, { policy: DEFAULT_SLA_POLICY, at: '2025-01-17T15:00:00.000Z' });
    expect(c.sla.firstResponseDueAt).toBe('2025-01-20T15:00:00.000Z');
    expect(c.sla.resolutionDueAt).toBe('2025-01-27T15:00:00.000Z');
    const pending = changeCase(c, { status: 'pending' }, new Date('2025-01-17T16:00:00.000Z'), DEFAULT_SLA_POLICY).case;
    // Paused Fri 16:00 - Mon 09:30: 60 minutes on Friday + 30 on Monday; the weekend does not count.
    const resumed = changeCase(pending, { status: 'open' }, new Date('2025-01-20T09:30:00.000Z'), DEFAULT_SLA_POLICY).case;
    expect(resumed.sla.pausedMinutes).toBe(90);
    expect(resumed.sla.resolutionDueAt).toBe('2025-01-27T16:30:00.000Z');
    expect(resumed.sla.firstResponseDueAt).toBe('2025-01-20T15:00:00.000Z');
  });

  it('solved -> open reopens: solvedAt cleared, the time spent solved counted as paused', () => {
    const solved = patched(opened(), { status: 'solved' }, 30).case;
    expect(solved.sla.pausedSince).toBe(iso(T0, 30));
    const reopened = patched(solved, { status: 'open' }, 90).case;
    expect(reopened).toMatchObject({ status: 'open', solvedAt: null });
    expect(reopened.sla).toMatchObject({ pausedSince: null, pausedMinutes: 60, resolutionDueAt: iso(T0, 960 + 60) });
  });
});

describe('comments', () => {
  it('the first public staff comment sets firstRespondedAt and says so in its event', () => {
    const { case: c, comment, events } = commentOn(opened(), { body: 'We are on it.', visibility: 'public' }, staff, 'cm-1', plus(T0, 20));
    expect(c.firstRespondedAt).toBe(iso(T0, 20));
    expect(c.version).toBe(2);
    expect(comment).toEqual({ id: 'cm-1', caseId: 'case-1', body: 'We are on it.', visibility: 'public', authorId: staff.id, authorType: 'staff', createdAt: iso(T0, 20), articles: [] });
    expect(summary(events)).toEqual([['CaseCommented', { caseId: 'case-1', commentId: 'cm-1', visibility: 'public', firstResponse: true }]]);
  });

  it.each([
    ['an internal staff note', { body: 'check warehouse', visibility: 'internal' as const }, staff],
    ['a public comment by the customer', { body: 'Any news?', visibility: 'public' as const }, customer],
  ])('%s is no first response', (_, input, author) => {
    const { case: c, events } = commentOn(opened(), input, author, 'cm-1', plus(T0, 20));
    expect(c.firstRespondedAt).toBeNull();
    expect(c.version).toBe(2);
    expect(summary(events)).toEqual([['CaseCommented', { caseId: 'case-1', commentId: 'cm-1', visibility: input.visibility, firstResponse: false }]]);
  });

  it('a later public staff comment keeps the first response time', () => {
    const first = commentOn(opened(), { body: 'On it.', visibility: 'public' }, staff, 'cm-1', plus(T0, 20)).case;
    const { case: c, events } = commentOn(first, { body: 'Found it.', visibility: 'public' }, staff, 'cm-2', plus(T0, 50));
    expect(c.firstRespondedAt).toBe(iso(T0, 20));
    expect(summary(events)).toEqual([['CaseCommented', { caseId: 'case-1', commentId: 'cm-2', visibility: 'public', firstResponse: false }]]);
  });
});

describe('manual priority change', () => {
  it('recomputes both due times from createdAt (plus paused minutes) and resets warned', () => {
    let c = opened();
    c = patched(c, { status: 'pending' }, 10).case;
    c = patched(c, { status: 'open' }, 40).case; // 30 paused minutes
    c = { ...c, sla: { ...c.sla, warned: ['firstResponse', 'resolution'] } };
    const { case: raised, events, changed } = patched(c, { priority: 'high' }, 100);
    expect(changed).toEqual(['priority']);
    expect(raised.priority).toBe('high');
    expect(raised.sla).toMatchObject({ firstResponseDueAt: iso(T0, 120), resolutionDueAt: iso(T0, 480 + 30), warned: [] });
    expect(summary(events)).toEqual([
      ['CaseUpdated', { caseId: 'case-1', changed: ['priority'] }],
      ['CasePriorityChanged', { caseId: 'case-1', from: 'normal', priority: 'high', reason: 'manual' }],
    ]);
  });

  it('lowering the priority moves the due times later, still counted from the start', () => {
    const lowered = patched(opened({ priority: 'urgent' }), { priority: 'low' }, 30).case;
    expect(lowered.sla).toMatchObject({ firstResponseDueAt: iso(T0, 480), resolutionDueAt: iso(T0, 1440) });
  });

  it('reports several fields changed at once in one CaseUpdated', () => {
    const { events, changed } = patched(opened(), { subject: 'Other', queue: 'billing', tags: ['vip'] }, 5);
    expect(changed).toEqual(['subject', 'queue', 'tags']);
    expect(summary(events)).toEqual([['CaseUpdated', { caseId: 'case-1', changed: ['subject', 'queue', 'tags'] }]]);
  });
});

describe('assignCase', () => {
  it('assigns with CaseAssigned; the same assignee again is no change', () => {
    const { case: c, events } = assignCase(opened(), 'ann@agents.test', plus(T0, 5));
    expect(c).toMatchObject({ assigneeId: 'ann@agents.test', version: 2 });
    expect(summary(events)).toEqual([['CaseAssigned', { caseId: 'case-1', assigneeId: 'ann@agents.test', queue: 'support' }]]);
    const again = assignCase(c, 'ann@agents.test', plus(T0, 6));
    expect(again.case).toBe(c);
    expect(again.events).toEqual([]);
  });
});

describe('escalateCase', () => {
  it('raises level and priority one step, moves to escalateTo, marks the breach and emits CaseEscalated + CasePriorityChanged', () => {
    const { case: c, breach } = breached();
    const { case: next, events } = escalateCase(c, breach, 'tier2', plus(breach.dueAt, 5));
    expect(next).toMatchObject({ escalationLevel: 1, priority: 'high', queue: 'tier2', version: c.version + 1 });
    expect(next.sla.breaches).toEqual([{ milestone: 'firstResponse', dueAt: breach.dueAt, at: breach.dueAt, escalated: true }]);
    // Due times stay: the raised priority would otherwise breach again at once.
    expect(next.sla.firstResponseDueAt).toBe(c.sla.firstResponseDueAt);
    expect(next.sla.resolutionDueAt).toBe(c.sla.resolutionDueAt);
    expect(summary(events)).toEqual([
      [
        'CaseEscalated',
        { caseId: 'case-1', milestone: 'firstResponse', dueAt: breach.dueAt, level: 1, fromQueue: 'support', queue: 'tier2', priority: 'high', minutesLate: 5 },
      ],
      ['CasePriorityChanged', { caseId: 'case-1', from: 'normal', priority: 'high', reason: 'escalation' }],
    ]);
  });

  it('keeps an urgent case urgent and then emits no CasePriorityChanged; no escalateTo keeps the queue', () => {
    const { case: c, breach } = breached(opened({ priority: 'urgent' }));
    const { case: next, events } = escalateCase(c, breach, null, plus(breach.dueAt, 1));
    expect(next).toMatchObject({ escalationLevel: 1, priority: 'urgent', queue: 'support' });
    expect(events.map((e) => e.definition.detailType)).toEqual(['CaseEscalated']);
  });

  it('leaves the old assignee when it moves the case to another queue and assigns the one picked there, with CaseAssigned', () => {
    const { case: c, breach } = breached(assignCase(opened(), 'ann@agents.test', plus(T0, 1)).case);
    const { case: next, events } = escalateCase(c, breach, 'tier2', plus(breach.dueAt, 5), 'expert@agents.test');
    expect(next).toMatchObject({ queue: 'tier2', assigneeId: 'expert@agents.test', escalationLevel: 1 });
    expect(summary(events).filter(([type]) => type === 'CaseAssigned')).toEqual([['CaseAssigned', { caseId: 'case-1', assigneeId: 'expert@agents.test', queue: 'tier2' }]]);
  });

  it('leaves the case unassigned in the new queue when nobody there was picked', () => {
    const { case: c, breach } = breached(assignCase(opened(), 'ann@agents.test', plus(T0, 1)).case);
    const { case: next, events } = escalateCase(c, breach, 'tier2', plus(breach.dueAt, 5), null);
    expect(next).toMatchObject({ queue: 'tier2', assigneeId: null });
    expect(summary(events).filter(([type]) => type === 'CaseAssigned')).toEqual([['CaseAssigned', { caseId: 'case-1', assigneeId: null, queue: 'tier2' }]]);
  });

  it('keeps the assignee when the case stays in its queue (no escalateTo)', () => {
    const { case: c, breach } = breached(assignCase(opened(), 'ann@agents.test', plus(T0, 1)).case);
    const { case: next, events } = escalateCase(c, breach, null, plus(breach.dueAt, 5));
    expect(next).toMatchObject({ queue: 'support', assigneeId: 'ann@agents.test' });
    expect(events.map((e) => e.definition.detailType)).not.toContain('CaseAssigned');
  });

  it('returns no events for a breach escalated already (a duplicate delivery)', () => {
    const { case: c, breach } = breached();
    const once = escalateCase(c, breach, 'tier2', plus(breach.dueAt, 1)).case;
    const twice = escalateCase(once, breach, 'tier2', plus(breach.dueAt, 2));
    expect(twice.events).toEqual([]);
    expect(twice.case).toBe(once);
    expect(once.escalationLevel).toBe(1);
  });

  it('returns no events for a breach that was never recorded', () => {
    const c = opened();
    expect(escalateCase(c, { milestone: 'firstResponse', dueAt: c.sla.firstResponseDueAt }, 'tier2', plus(T0, 300)).events).toEqual([]);
  });

  it.each(['solved', 'closed'] as const)('returns no events for a %s case', (status) => {
    let { case: c, breach } = breached();
    c = patched(c, { status: 'solved' }, 250).case;
    if (status === 'closed') c = patched(c, { status: 'closed' }, 260).case;
    const result = escalateCase(c, breach, 'tier2', plus(T0, 270));
    expect(result.events).toEqual([]);
    expect(result.case).toBe(c);
  });
});

describe('events carry ids and field names, never personal text', () => {
  it('no event of a case life names its subject, description or comment bodies', () => {
    const events: DomainEvent[] = [];
    const collect = <T extends { events: DomainEvent[] }>(result: T) => {
      events.push(...result.events);
      return result;
    };
    let c = collect(openCase(caseInput(), 'case-1', 1042, new Date(T0), ROUND_POLICY)).case;
    c = collect(patched(c, { subject: 'Second secret subject', tags: ['private-tag-x'] }, 1)).case;
    c = collect(commentOn(c, { body: 'Secret comment body', visibility: 'internal' }, staff, 'cm-1', plus(T0, 2))).case;
    c = collect(assignCase(c, 'ann@agents.test', plus(T0, 3))).case;
    c = collect(recordSlaDue(c, { warnings: ['resolution'], breaches: [{ milestone: 'firstResponse', dueAt: c.sla.firstResponseDueAt }] }, plus(T0, 250))).case;
    c = collect(escalateCase(c, { milestone: 'firstResponse', dueAt: c.sla.firstResponseDueAt }, 'tier2', plus(T0, 251))).case;
    collect(patched(c, { status: 'solved' }, 300));
    expect(events.map((e) => e.definition.detailType)).toEqual([
      'CaseOpened',
      'CaseUpdated',
      'CaseCommented',
      'CaseAssigned',
      'CaseSlaWarning',
      'CaseSlaBreached',
      'CaseEscalated',
      'CasePriorityChanged',
      'CaseAssigned', // moved to tier2, the case left ann
      'CaseUpdated',
      'CaseStatusChanged',
    ]);
    const text = JSON.stringify(events.map((e) => e.data));
    for (const secret of [SUBJECT, DESCRIPTION, 'Second secret subject', 'Secret comment body', 'private-tag-x']) expect(text).not.toContain(secret);
    expect(text).toContain('"changed":["subject","tags"]');
  });
});
