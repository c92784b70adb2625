import { describe, expect, it } from 'vitest';
import { formatDuration, slaView, sortBySlaDue, type SlaCase } from '../../web/src/screens/agent/sla-clock.ts';

const NOW = Date.parse('2026-12-01T12:00:00.000Z');
const MIN = 60_000;

function kase(overrides: Partial<Omit<SlaCase, 'sla'>> & { sla?: Partial<SlaCase['sla']> } = {}): SlaCase {
  const { sla, ...rest } = overrides;
  return {
    number: 'CASE-1001',
    status: 'open',
    firstRespondedAt: null,
    ...rest,
    sla: {
      policyVersion: 1,
      priority: 'normal',
      firstResponseDueAt: '2026-12-01T13:00:00.000Z',
      resolutionDueAt: '2026-12-03T12:00:00.000Z',
      pausedSince: null,
      pausedMinutes: 0,
      breaches: [],
      warned: [],
      ...sla,
    },
  };
}

describe('the countdown', () => {
  it('shows seconds while they matter and days when they do not', () => {
    expect(formatDuration(45_000)).toBe('45s');
    expect(formatDuration(12 * MIN + 5_000)).toBe('12m 05s');
    expect(formatDuration(3 * 60 * MIN + 4 * MIN + 5_000)).toBe('3h 04m 05s');
    expect(formatDuration(2 * 1440 * MIN + 3 * 60 * MIN + 4 * MIN + 59_999)).toBe('2d 03h 04m');
    expect(formatDuration(-90_500)).toBe('1m 30s');
  });

  it('runs the first-response clock until a public reply, then the resolution clock', () => {
    expect(slaView(kase(), NOW)).toMatchObject({ state: 'on-track', label: 'On track', milestone: 'firstResponse', remainingMs: 60 * MIN, countdown: '1h 00m 00s left' });
    const answered = slaView(kase({ firstRespondedAt: '2026-12-01T11:00:00.000Z' }), NOW);
    expect(answered).toMatchObject({ milestone: 'resolution', dueAt: '2026-12-03T12:00:00.000Z', countdown: '2d 00h 00m left' });
  });

  it('counts one second less a second later, and past the due time says how far over', () => {
    expect(slaView(kase(), NOW + 1000).countdown).toBe('59m 59s left');
    expect(slaView(kase(), NOW + 61 * MIN)).toMatchObject({ state: 'overdue', label: 'Overdue', remainingMs: -MIN, countdown: '1m 00s over' });
  });
});

describe('the breach state', () => {
  const breach = { milestone: 'firstResponse' as const, at: '2026-12-01T13:00:30.000Z', dueAt: '2026-12-01T13:00:00.000Z', escalated: true };

  it('is breached once the API recorded a breach of the running milestone, whatever the screen clock says', () => {
    expect(slaView(kase({ sla: { breaches: [breach] } }), NOW)).toMatchObject({ state: 'breached', label: 'Breached', breachedMilestones: ['firstResponse'] });
  });

  it('keeps saying a late first response was breached while the resolution clock runs', () => {
    const answered = kase({ firstRespondedAt: '2026-12-01T13:05:00.000Z', sla: { breaches: [breach] } });
    expect(slaView(answered, NOW)).toMatchObject({ state: 'on-track', milestone: 'resolution', earlierBreaches: ['firstResponse'] });
    expect(slaView(kase({ sla: { breaches: [breach] } }), NOW).earlierBreaches).toEqual([]);
  });

  it('says at risk after the API warned, and paused while pending stops the resolution clock', () => {
    expect(slaView(kase({ sla: { warned: ['firstResponse'] } }), NOW).state).toBe('at-risk');
    const pending = kase({ status: 'pending', firstRespondedAt: '2026-12-01T11:00:00.000Z', sla: { pausedSince: '2026-12-01T11:30:00.000Z' } });
    expect(slaView(pending, NOW)).toMatchObject({ state: 'paused', label: 'Paused', remainingMs: null, countdown: 'paused' });
  });

  it('keeps the first-response clock running while a case waits unanswered', () => {
    const pending = kase({ status: 'pending', sla: { pausedSince: '2026-12-01T11:30:00.000Z' } });
    expect(slaView(pending, NOW)).toMatchObject({ state: 'on-track', milestone: 'firstResponse', remainingMs: 60 * MIN });
  });

  it('a solved case runs no clock but still says it breached', () => {
    expect(slaView(kase({ status: 'solved' }), NOW)).toMatchObject({ state: 'done', milestone: null, remainingMs: null });
    expect(slaView(kase({ status: 'closed', sla: { breaches: [breach] } }), NOW)).toMatchObject({ state: 'breached', milestone: null });
  });
});

describe('the inbox order', () => {
  it('puts the soonest running due time first, paused and finished cases last, ties by number', () => {
    const cases = [
      kase({ number: 'CASE-1001', sla: { firstResponseDueAt: '2026-12-01T15:00:00.000Z' } }),
      kase({ number: 'CASE-1002', status: 'solved' }),
      kase({ number: 'CASE-1010', sla: { firstResponseDueAt: '2026-12-01T11:00:00.000Z' } }),
      kase({ number: 'CASE-1003', firstRespondedAt: '2026-12-01T10:00:00.000Z', status: 'on_hold', sla: { pausedSince: '2026-12-01T10:30:00.000Z' } }),
      kase({ number: 'CASE-1009', sla: { firstResponseDueAt: '2026-12-01T11:00:00.000Z' } }),
      kase({ number: 'CASE-1004', firstRespondedAt: '2026-12-01T10:00:00.000Z', sla: { resolutionDueAt: '2026-12-01T14:00:00.000Z' } }),
    ];
    expect(sortBySlaDue(cases).map((c) => c.number)).toEqual(['CASE-1009', 'CASE-1010', 'CASE-1004', 'CASE-1001', 'CASE-1002', 'CASE-1003']);
  });
});
