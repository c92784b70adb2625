import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketOf, type CounterDelta, counterDeltas, type DayCounters, HISTOGRAM_BOUNDS, slaReport as reportOf } from '../../domain/cases/case-counters.ts';
import { assignCase, commentOn, escalateCase, recordSlaDue } from '../../domain/cases/case.ts';
import type { Case } from '../../domain/cases/case.schema.ts';
import { opened, patched, plus, T0 } from '../support/case-builders.ts';

// ROUND_POLICY, normal: first response due after 240 minutes, resolution after 960 (24x7).

const DAY = '2025-01-15';
const staff = { id: 'ann@agents.test', type: 'staff' as const };
const day = (field: string, by = 1, queue = 'support', on = DAY): CounterDelta => ({ kind: 'day', queue, day: on, field, by });
const deltas = (previous: Case | undefined, next: Case, minutesAfterT0: number) => counterDeltas(previous, next, plus(T0, minutesAfterT0));
const answer = (c: Case, minutesAfterT0: number) => commentOn(c, { body: 'On it', visibility: 'public' }, staff, `cm-${minutesAfterT0}`, plus(T0, minutesAfterT0)).case;
/** The report of counters on consecutive days from DAY (the range is exactly those days). */
const slaReport = (days: DayCounters[], breachedOpen: number) => {
  const dayAt = (i: number) => new Date(Date.parse(DAY) + i * 86_400_000).toISOString().slice(0, 10);
  return reportOf(days.map((counters, i) => ({ day: dayAt(i), counters })), breachedOpen, { from: DAY, to: dayAt(Math.max(0, days.length - 1)) });
};
const breach = (c: Case, minutesAfterT0: number) =>
  recordSlaDue(c, { warnings: [], breaches: [{ milestone: 'firstResponse', dueAt: c.sla.firstResponseDueAt }] }, plus(T0, minutesAfterT0)).case;

describe('bucketOf', () => {
  it('puts a value in the first bucket whose bound is above it; the last bucket is open-ended', () => {
    expect(bucketOf(0)).toBe(0);
    expect(bucketOf(4.99)).toBe(0);
    expect(bucketOf(5)).toBe(1);
    expect(bucketOf(30)).toBe(4);
    expect(bucketOf(60)).toBe(6);
    expect(bucketOf(43_199)).toBe(HISTOGRAM_BOUNDS.length - 1);
    expect(bucketOf(43_200)).toBe(HISTOGRAM_BOUNDS.length);
  });
});

describe('counterDeltas', () => {
  it('counts an opened case once for its queue and day', () => {
    expect(counterDeltas(undefined, opened(), new Date(T0))).toEqual([day('opened')]);
  });

  it('counts a first response in time as met, with its histogram bucket', () => {
    const c = opened();
    expect(deltas(c, answer(c, 30), 30)).toEqual([day('firstResponseTotal'), day('firstResponseMet'), day(`firstResponseHist${bucketOf(30)}`)]);
    expect(bucketOf(30)).toBe(4);
  });

  it('counts a late first response as total without met', () => {
    const c = opened();
    expect(deltas(c, answer(c, 300), 300)).toEqual([day('firstResponseTotal'), day('firstResponseHist10')]);
  });

  it('counts a solve in time as solved and met', () => {
    const c = opened();
    expect(deltas(c, patched(c, { status: 'solved' }, 60).case, 60)).toEqual([day('solved'), day('resolutionTotal'), day('resolutionMet'), day('resolutionHist6')]);
  });

  it('counts a late solve as solved without met, on the day it was solved', () => {
    const c = opened();
    const next = '2025-01-16'; // T0 + 1000 minutes
    expect(deltas(c, patched(c, { status: 'solved' }, 1000).case, 1000)).toEqual([
      day('solved', 1, 'support', next),
      day('resolutionTotal', 1, 'support', next),
      day('resolutionHist13', 1, 'support', next),
    ]);
  });

  it('counts nothing for a reopen, and a second solve again (met against the pushed due time)', () => {
    const solved = patched(opened(), { status: 'solved' }, 60).case;
    const reopened = patched(solved, { status: 'open' }, 120).case;
    expect(deltas(solved, reopened, 120)).toEqual([]);
    const again = patched(reopened, { status: 'solved' }, 180).case;
    expect(deltas(reopened, again, 180)).toEqual([day('solved'), day('resolutionTotal'), day('resolutionMet'), day('resolutionHist9')]);
  });

  it('closing a solved case counts nothing', () => {
    const solved = patched(opened(), { status: 'solved' }, 60).case;
    expect(deltas(solved, patched(solved, { status: 'closed' }, 70).case, 70)).toEqual([]);
  });

  it('a breach while open adds one breached-open case; solving it takes it away again', () => {
    const c = opened();
    const breached = breach(c, 240);
    expect(deltas(c, breached, 240)).toEqual([day('breaches'), { kind: 'breachedOpen', queue: 'support', by: 1 }]);
    const solved = patched(breached, { status: 'solved' }, 300).case;
    expect(deltas(breached, solved, 300)).toEqual([
      day('solved'),
      day('resolutionTotal'),
      day('resolutionMet'),
      day('resolutionHist10'),
      { kind: 'breachedOpen', queue: 'support', by: -1 },
    ]);
  });

  it('a pending breached case stays breached-open (no delta)', () => {
    const breached = breach(opened(), 240);
    expect(deltas(breached, patched(breached, { status: 'pending' }, 250).case, 250)).toEqual([]);
  });

  it('moving a breached open case to another queue moves its breached-open count', () => {
    const breached = breach(opened(), 240);
    expect(deltas(breached, patched(breached, { queue: 'tier2' }, 250).case, 250)).toEqual([
      { kind: 'breachedOpen', queue: 'support', by: -1 },
      { kind: 'breachedOpen', queue: 'tier2', by: 1 },
    ]);
    const escalated = escalateCase(breached, { milestone: 'firstResponse', dueAt: breached.sla.firstResponseDueAt }, 'tier2', plus(T0, 241)).case;
    expect(deltas(breached, escalated, 241)).toEqual([
      { kind: 'breachedOpen', queue: 'support', by: -1 },
      { kind: 'breachedOpen', queue: 'tier2', by: 1 },
    ]);
  });

  it('counts open cases per agent on assign, unassign and reassign', () => {
    const c = opened();
    const ann = assignCase(c, 'ann', plus(T0, 1)).case;
    expect(deltas(c, ann, 1)).toEqual([{ kind: 'agentOpen', agentId: 'ann', by: 1 }]);
    const bob = assignCase(ann, 'bob', plus(T0, 2)).case;
    expect(deltas(ann, bob, 2)).toEqual([
      { kind: 'agentOpen', agentId: 'ann', by: -1 },
      { kind: 'agentOpen', agentId: 'bob', by: 1 },
    ]);
    const nobody = assignCase(bob, null, plus(T0, 3)).case;
    expect(deltas(bob, nobody, 3)).toEqual([{ kind: 'agentOpen', agentId: 'bob', by: -1 }]);
  });

  it('an assigned case stays open for its agent while pending, and stops counting when solved', () => {
    const ann = assignCase(opened(), 'ann', plus(T0, 1)).case;
    const pending = patched(ann, { status: 'pending' }, 2).case;
    expect(deltas(ann, pending, 2)).toEqual([]);
    const solved = patched(pending, { status: 'solved' }, 3).case;
    expect(deltas(pending, solved, 3)).toContainEqual({ kind: 'agentOpen', agentId: 'ann', by: -1 });
    expect(deltas(solved, patched(solved, { status: 'open' }, 4).case, 4)).toEqual([{ kind: 'agentOpen', agentId: 'ann', by: 1 }]);
  });

  it('nets +1 and -1 of the same counter away: an edit of an assigned breached case touches no counter', () => {
    const c = breach(assignCase(opened(), 'ann', plus(T0, 1)).case, 240);
    expect(deltas(c, patched(c, { subject: 'Renamed', tags: ['x'] }, 250).case, 250)).toEqual([]);
  });

  it('never emits a zero delta or two deltas for one counter (property over command sequences)', () => {
    type Step = (c: Case, minute: number) => Case;
    const steps: Step[] = [
      (c, m) => assignCase(c, 'ann', plus(T0, m)).case,
      (c, m) => assignCase(c, 'bob', plus(T0, m)).case,
      (c, m) => assignCase(c, null, plus(T0, m)).case,
      (c, m) => answer(c, m),
      (c, m) => breach(c, m),
      (c, m) => patched(c, { queue: c.queue === 'support' ? 'tier2' : 'support' }, m).case,
      (c, m) => patched(c, { status: 'pending' }, m).case,
      (c, m) => patched(c, { status: 'open' }, m).case,
      (c, m) => patched(c, { status: 'solved' }, m).case,
    ];
    const keyOf = (d: CounterDelta) => (d.kind === 'day' ? `day|${d.queue}|${d.day}|${d.field}` : d.kind === 'breachedOpen' ? `bo|${d.queue}` : `ao|${d.agentId}`);
    fc.assert(
      fc.property(fc.array(fc.nat(steps.length - 1), { maxLength: 12 }), (picks) => {
        let c = opened();
        let minute = 0;
        for (const pick of picks) {
          minute += 7;
          let next: Case;
          try {
            next = steps[pick]!(c, minute);
          } catch {
            continue; // a disallowed move is not a change
          }
          const found = deltas(c, next, minute);
          expect(found.every((d) => d.by !== 0)).toBe(true);
          expect(new Set(found.map(keyOf)).size).toBe(found.length);
          c = next;
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('slaReport', () => {
  it('is all zeros and nulls without data', () => {
    expect(slaReport([], 0)).toEqual({
      opened: 0,
      solved: 0,
      firstResponseMetPercent: null,
      resolutionMetPercent: null,
      medianFirstResponseMinutes: null,
      medianResolutionMinutes: null,
      breachedOpen: 0,
      breaches: 0,
      days: [{ day: DAY, opened: 0, solved: 0, firstResponseMetPercent: null, resolutionMetPercent: null, breaches: 0 }],
    });
  });

  it('sums the days and rounds percentages to one decimal', () => {
    const days: DayCounters[] = [
      { opened: 3, solved: 1, firstResponseTotal: 2, firstResponseMet: 1, resolutionTotal: 1, resolutionMet: 1 },
      { opened: 2, solved: 2, firstResponseTotal: 1, firstResponseMet: 1, resolutionTotal: 2 },
    ];
    expect(slaReport(days, 4)).toMatchObject({ opened: 5, solved: 3, firstResponseMetPercent: 66.7, resolutionMetPercent: 33.3, breachedOpen: 4 });
  });

  it('reports null for a percentage without totals even when other counters exist', () => {
    expect(slaReport([{ opened: 7 }], 0)).toMatchObject({ opened: 7, firstResponseMetPercent: null, resolutionMetPercent: null, medianFirstResponseMinutes: null });
  });

  // Buckets: 0:[0,5) 1:[5,10) 2:[10,15) 3:[15,30) 4:[30,45) 5:[45,60) 6:[60,90) ... 19:[20160,43200) 20:[43200,...)
  it.each([
    ['one value in [15, 30): the middle of the bucket', { firstResponseHist3: 1 }, 23],
    ['one in [0, 5) and one in [5, 10): the top of the first', { firstResponseHist0: 1, firstResponseHist1: 1 }, 5],
    ['one each in [10,15), [30,45), [60,90): half-way into [30, 45)', { firstResponseHist2: 1, firstResponseHist4: 1, firstResponseHist6: 1 }, 38],
    ['three in [60, 90) and one in [0, 5): a third of the way into [60, 90)', { firstResponseHist0: 1, firstResponseHist6: 3 }, 70],
    ['one value in the open-ended last bucket: its bound times 1.5', { firstResponseHist20: 1 }, 64_800],
  ])('reads the median off the histogram: %s', (_, counters, median) => {
    expect(slaReport([counters], 0).medianFirstResponseMinutes).toBe(median);
  });

  it('reads the resolution median from its own histogram, summed over days', () => {
    const report = slaReport([{ resolutionHist9: 1 }, { resolutionHist9: 1, firstResponseHist0: 5 }], 0);
    expect(report.medianResolutionMinutes).toBe(210); // two values in [180, 240): half = 1 of 2 -> 180 + 30
    expect(report.medianFirstResponseMinutes).toBe(3); // five in [0, 5): 2.5 of 5 -> 2.5, rounded to 3
  });

  it('never reports a negative breachedOpen', () => {
    expect(slaReport([], -2).breachedOpen).toBe(0);
  });

  it('lists every day of the range oldest first, zeros where nothing was counted, each with its own percentages and breaches', () => {
    const report = reportOf(
      [
        { day: '2025-01-14', counters: { opened: 2, firstResponseTotal: 2, firstResponseMet: 1, breaches: 1 } },
        { day: '2025-01-16', counters: { solved: 1, resolutionTotal: 1, resolutionMet: 1, breaches: 2 } },
      ],
      1,
      { from: '2025-01-13', to: '2025-01-16' },
    );
    expect(report.breaches).toBe(3);
    expect(report.days).toEqual([
      { day: '2025-01-13', opened: 0, solved: 0, firstResponseMetPercent: null, resolutionMetPercent: null, breaches: 0 },
      { day: '2025-01-14', opened: 2, solved: 0, firstResponseMetPercent: 50, resolutionMetPercent: null, breaches: 1 },
      { day: '2025-01-15', opened: 0, solved: 0, firstResponseMetPercent: null, resolutionMetPercent: null, breaches: 0 },
      { day: '2025-01-16', opened: 0, solved: 1, firstResponseMetPercent: null, resolutionMetPercent: 100, breaches: 2 },
    ]);
  });
});
