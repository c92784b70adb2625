import { describe, expect, it } from 'vitest';
import { counterDeltas } from '../../domain/cases/case-counters.ts';
import { dueChecks, nextCheckAt, warningAt } from '../../domain/cases/case-sla.ts';
import { escalateCase, moveToCustomer, recordSlaDue } from '../../domain/cases/case.ts';
import { iso, opened, patched, plus, ROUND_POLICY, T0 } from '../support/case-builders.ts';

// Regressions found by the case unit tiers: SLA targets follow the priority the due times were
// computed with, pauses end on any move out of a paused status, and finished cases are not watched.

describe('SLA after an escalation raised the priority', () => {
  const escalated = () => {
    const c = opened();
    const breach = { milestone: 'firstResponse' as const, dueAt: c.sla.firstResponseDueAt };
    const recorded = recordSlaDue(c, { warnings: [], breaches: [breach] }, plus(T0, 241)).case;
    return escalateCase(recorded, breach, null, plus(T0, 242)).case;
  };

  it('keeps following the original targets when the clock resumes after a pause', () => {
    const c = escalated();
    expect(c.priority).toBe('high');
    expect(c.sla.priority).toBe('normal');
    const paused = patched(c, { status: 'pending' }, 300).case;
    const resumed = patched(paused, { status: 'open' }, 310).case;
    expect(resumed.sla.resolutionDueAt).toBe(iso(T0, 960 + 10)); // normal's 960, pushed by the pause
  });

  it('warns at the share of the original target', () => {
    const c = escalated();
    expect(warningAt(ROUND_POLICY, c, 'resolution').toISOString()).toBe(iso(T0, 720)); // 75 % of 960
    expect(nextCheckAt(c, ROUND_POLICY)).toBe(iso(T0, 720));
  });
});

describe('pauses and finished cases', () => {
  it('counts the pending time when a pending case is solved, so a paused case meets its target', () => {
    const pending = patched(opened(), { status: 'pending' }, 10).case;
    const solved = patched(pending, { status: 'solved' }, 2000).case;
    expect(solved.sla.resolutionDueAt).toBe(iso(T0, 960 + 1990));
    expect(counterDeltas(pending, solved, plus(T0, 2000))).toContainEqual(expect.objectContaining({ field: 'resolutionMet', by: 1 }));
  });

  it('does not watch the first response of a solved case that was never answered in writing', () => {
    const solved = patched(opened(), { status: 'solved' }, 30).case;
    expect(nextCheckAt(solved, ROUND_POLICY)).toBeNull();
    expect(dueChecks(solved, ROUND_POLICY, plus(T0, 10_000))).toEqual({ warnings: [], breaches: [] });
  });

  it('leaves the SLA of a closed case as it was when solved', () => {
    const solved = patched(opened(), { status: 'solved' }, 30).case;
    const closed = patched(solved, { status: 'closed' }, 1030).case;
    expect(closed.sla).toEqual(solved.sla);
    expect(closed.closedAt).toBe(iso(T0, 1030));
  });
});

describe('a merged-away customer', () => {
  it('takes its cases along, closed ones included, with a CaseUpdated naming only the field', () => {
    const solved = patched(opened(), { status: 'solved' }, 30).case;
    const closed = patched(solved, { status: 'closed' }, 40).case;
    const moved = moveToCustomer(closed, 'cust-target', plus(T0, 50));
    expect(moved.case).toMatchObject({ customerId: 'cust-target', status: 'closed', version: closed.version + 1 });
    expect(moved.events.map((e) => [e.definition.detailType, e.data])).toEqual([['CaseUpdated', { caseId: closed.id, changed: ['customerId'] }]]);
    expect(moveToCustomer(moved.case, 'cust-target', plus(T0, 60)).events).toEqual([]);
  });
});
