import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dueChecks, dueTimes, isWatched, nextCheckAt, warningAt } from '../../domain/cases/case-sla.ts';
import { commentOn, openCase, recordSlaDue } from '../../domain/cases/case.ts';
import { type Case, type CaseStatus, type Milestone, MILESTONES, PRIORITIES } from '../../domain/cases/case.schema.ts';
import { DEFAULT_SLA_POLICY, type SlaPolicy } from '../../domain/cases/sla-policy.ts';
import { caseInput, iso, opened, patched, plus, ROUND_POLICY, T0 } from '../support/case-builders.ts';

const staff = { id: 'ann@agents.test', type: 'staff' as const };
const none = { warnings: [], breaches: [] };
const checksAt = (c: Case, minutesAfterT0: number, policy: SlaPolicy = ROUND_POLICY) => dueChecks(c, policy, plus(T0, minutesAfterT0));

// ROUND_POLICY, normal: first response 240 minutes (warning at 75 % = 180), resolution 960 (720).

describe('dueChecks', () => {
  it('finds nothing before the warning instant and the warning exactly at warnAtPercent', () => {
    const c = opened();
    expect(dueChecks(c, ROUND_POLICY, new Date(plus(T0, 180).getTime() - 1))).toEqual(none);
    expect(checksAt(c, 180)).toEqual({ warnings: ['firstResponse'], breaches: [] });
    expect(checksAt(c, 720)).toEqual({ warnings: ['resolution'], breaches: [{ milestone: 'firstResponse', dueAt: iso(T0, 240) }] });
  });

  it('reports a breach exactly at the due time, not one millisecond before, and no warning alongside it', () => {
    const c = { ...opened(), sla: { ...opened().sla, warned: ['firstResponse' as const] } };
    expect(dueChecks(c, ROUND_POLICY, new Date(plus(T0, 240).getTime() - 1))).toEqual(none);
    expect(checksAt(c, 240)).toEqual({ warnings: [], breaches: [{ milestone: 'firstResponse', dueAt: iso(T0, 240) }] });
    // Unwarned and already past due: the breach is reported, the late warning is not.
    expect(checksAt(opened(), 240)).toEqual({ warnings: [], breaches: [{ milestone: 'firstResponse', dueAt: iso(T0, 240) }] });
  });

  it('does not watch a met first response', () => {
    const answered = commentOn(opened(), { body: 'On it', visibility: 'public' }, staff, 'cm-1', plus(T0, 5)).case;
    expect(isWatched(answered, 'firstResponse')).toBe(false);
    expect(checksAt(answered, 300)).toEqual(none);
    expect(checksAt(answered, 720)).toEqual({ warnings: ['resolution'], breaches: [] });
  });

  it('does not watch a paused resolution', () => {
    const answered = commentOn(opened(), { body: 'On it', visibility: 'public' }, staff, 'cm-1', plus(T0, 5)).case;
    const pending = patched(answered, { status: 'pending' }, 10).case;
    expect(isWatched(pending, 'resolution')).toBe(false);
    expect(checksAt(pending, 5000)).toEqual(none);
    expect(nextCheckAt(pending, ROUND_POLICY)).toBeNull();
  });

  it('does not report a breach again once it is recorded for the same due time', () => {
    const c = opened();
    const found = checksAt(c, 240);
    const recorded = recordSlaDue(c, found, plus(T0, 240)).case;
    expect(recorded.sla.breaches).toEqual([{ milestone: 'firstResponse', dueAt: iso(T0, 240), at: iso(T0, 240), escalated: false }]);
    expect(checksAt(recorded, 241).breaches).toEqual([]);
    expect(checksAt(recorded, 600)).toEqual(none);
  });

  it('reports a breach of a new due time after a priority change moved it', () => {
    const c = opened();
    const recorded = recordSlaDue(c, checksAt(c, 240), plus(T0, 240)).case;
    const raised = patched(recorded, { priority: 'low' }, 250).case; // first response now due at 480
    expect(checksAt(raised, 300).breaches).toEqual([]);
    expect(checksAt(raised, 480).breaches).toEqual([{ milestone: 'firstResponse', dueAt: iso(T0, 480) }]);
  });

  it('does not repeat a warning once the milestone is in warned', () => {
    const c = opened();
    const warned = recordSlaDue(c, checksAt(c, 180), plus(T0, 180)).case;
    expect(warned.sla.warned).toEqual(['firstResponse']);
    expect(checksAt(warned, 200)).toEqual(none);
    expect(nextCheckAt(warned, ROUND_POLICY)).toBe(iso(T0, 240));
  });

  it('watches nothing of an answered solved case, nor of a closed one', () => {
    const answered = commentOn(opened(), { body: 'On it', visibility: 'public' }, staff, 'cm-1', plus(T0, 2)).case;
    const solved = patched(answered, { status: 'solved' }, 5).case;
    expect(checksAt(solved, 10_000)).toEqual(none);
    expect(nextCheckAt(solved, ROUND_POLICY)).toBeNull();
    const closed = patched(solved, { status: 'closed' }, 6).case;
    expect(nextCheckAt(closed, ROUND_POLICY)).toBeNull();
  });
});

describe('nextCheckAt', () => {
  it('is the earliest warning, then the due time once warned, then the other milestone', () => {
    let c = opened();
    expect(nextCheckAt(c, ROUND_POLICY)).toBe(iso(T0, 180));
    c = recordSlaDue(c, checksAt(c, 180), plus(T0, 180)).case;
    expect(nextCheckAt(c, ROUND_POLICY)).toBe(iso(T0, 240));
    c = recordSlaDue(c, checksAt(c, 240), plus(T0, 240)).case;
    expect(nextCheckAt(c, ROUND_POLICY)).toBe(iso(T0, 720));
  });

  it('counts the warning in business minutes on a business calendar', () => {
    // Default policy, normal: 480 business minutes, warning after 360. Opened Friday 15:00Z:
    // 120 minutes on Friday, 240 on Monday -> Monday 13:00Z.
    const c = opened({}, { policy: DEFAULT_SLA_POLICY, at: '2025-01-17T15:00:00.000Z' });
    expect(warningAt(DEFAULT_SLA_POLICY, c, 'firstResponse').toISOString()).toBe('2025-01-20T13:00:00.000Z');
    expect(nextCheckAt(c, DEFAULT_SLA_POLICY)).toBe('2025-01-20T13:00:00.000Z');
  });
});

// Case states the entity commands can reach, drawn directly: any priority, start, status,
// pause, warnings and recorded breaches, under 24x7 and business calendars in three zones.
const policyArb = fc
  .record({
    timezone: fc.constantFrom('UTC', 'Europe/Berlin', 'America/New_York'),
    warnAtPercent: fc.integer({ min: 1, max: 99 }),
    allDay: fc.boolean(),
  })
  .map(({ timezone, warnAtPercent, allDay }): SlaPolicy => ({
    ...DEFAULT_SLA_POLICY,
    timezone,
    warnAtPercent,
    targets: allDay
      ? {
          urgent: { ...DEFAULT_SLA_POLICY.targets.urgent, calendar: '24x7' },
          high: { ...DEFAULT_SLA_POLICY.targets.high, calendar: '24x7' },
          normal: { ...DEFAULT_SLA_POLICY.targets.normal, calendar: '24x7' },
          low: { ...DEFAULT_SLA_POLICY.targets.low, calendar: '24x7' },
        }
      : DEFAULT_SLA_POLICY.targets,
  }));

const START = Date.parse('2025-01-01T00:00:00.000Z');
const caseArb = fc
  .record({
    policy: policyArb,
    priority: fc.constantFrom(...PRIORITIES),
    createdAt: fc.integer({ min: START, max: START + 700 * 86_400_000 }),
    responded: fc.boolean(),
    status: fc.constantFrom<CaseStatus>('open', 'open', 'pending', 'on_hold', 'solved', 'closed'),
    pausedMinutes: fc.integer({ min: 0, max: 50_000 }).map((n) => n / 10),
    warned: fc.subarray([...MILESTONES]),
    breached: fc.subarray([...MILESTONES]),
  })
  .map(({ policy, priority, createdAt, responded, status, pausedMinutes, warned, breached }) => {
    const start = new Date(createdAt);
    const base = openCase(caseInput({ priority }), 'case-p', 1, start, policy).case;
    const due = dueTimes(policy, priority, start, pausedMinutes);
    const dueOf = (m: Milestone) => (m === 'firstResponse' ? due.firstResponseDueAt : due.resolutionDueAt);
    const paused = status === 'pending' || status === 'on_hold' || status === 'solved';
    const c: Case = {
      ...base,
      status,
      firstRespondedAt: responded ? base.createdAt : null,
      solvedAt: status === 'solved' || status === 'closed' ? base.createdAt : null,
      sla: {
        ...base.sla,
        ...due,
        pausedMinutes,
        pausedSince: paused ? base.createdAt : null,
        warned,
        breaches: breached.map((milestone) => ({ milestone, dueAt: dueOf(milestone), at: dueOf(milestone), escalated: false })),
      },
    };
    return { c, policy };
  });

describe('nextCheckAt and dueChecks agree (property)', () => {
  it('nextCheckAt is null exactly when nothing is watched, and never after the earliest watched due time', () => {
    fc.assert(
      fc.property(caseArb, ({ c, policy }) => {
        const watched = MILESTONES.filter((m) => isWatched(c, m));
        const next = nextCheckAt(c, policy);
        if (watched.length === 0) {
          expect(next).toBeNull();
          return;
        }
        const earliestDue = Math.min(...watched.map((m) => Date.parse(m === 'firstResponse' ? c.sla.firstResponseDueAt : c.sla.resolutionDueAt)));
        expect(next).not.toBeNull();
        expect(Date.parse(next!)).toBeLessThanOrEqual(earliestDue);
      }),
    );
  });

  it('dueChecks finds nothing one millisecond before nextCheckAt and something at it', () => {
    fc.assert(
      fc.property(caseArb, ({ c, policy }) => {
        const next = nextCheckAt(c, policy);
        fc.pre(next !== null);
        const at = Date.parse(next!);
        expect(dueChecks(c, policy, new Date(at - 1))).toEqual(none);
        const found = dueChecks(c, policy, new Date(at));
        expect(found.warnings.length + found.breaches.length).toBeGreaterThan(0);
      }),
    );
  });
});
