import { describe, expect, it } from 'vitest';
import { addCounts, answer, csatFigures, markNotSent, markSent, mayFire, NO_COUNTS, onReopened, onSolved, type StatusMove, type Survey } from '../../domain/surveys/survey.ts';

const T0 = '2025-01-15T10:00:00.000Z';
const later = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();
const move = (to: string, at = T0, from = 'open'): StatusMove => ({ caseId: 'case-1', customerId: 'cust-1', from, to, at });

function armed(at = T0, surveyId = 's-1', current?: Survey): Survey {
  const decision = onSolved(current, move('solved', at), surveyId, 3600);
  if (decision.action !== 'arm') throw new Error(`not armed: ${JSON.stringify(decision)}`);
  return decision.survey;
}
const sent = (survey = armed()) => markSent(survey, new Date(later(60)), { queue: 'support', assigneeId: 'ann' });

describe('survey state machine', () => {
  it('arms on solved: due the delay after the case was solved, under a new survey id', () => {
    const decision = onSolved(undefined, move('solved'), 's-1', 3600);
    expect(decision).toMatchObject({ action: 'arm', write: true, survey: { status: 'scheduled', surveyId: 's-1', dueAt: later(60), statusAt: T0, version: 1 } });
  });

  it('cancels a scheduled survey on reopen, and unschedules it', () => {
    const decision = onReopened(armed(), move('open', later(10), 'solved'));
    expect(decision).toMatchObject({ action: 'cancel', unschedule: true, survey: { status: 'cancelled', statusAt: later(10), version: 2 } });
  });

  it('re-arms a cancelled survey when the case is solved again, with a new id and due time', () => {
    const cancelled = onReopened(armed(), move('open', later(10), 'solved'));
    if (cancelled.action !== 'cancel') throw new Error('not cancelled');
    const again = onSolved(cancelled.survey, move('solved', later(20)), 's-2', 3600);
    expect(again).toMatchObject({ action: 'arm', write: true, survey: { status: 'scheduled', surveyId: 's-2', dueAt: later(80), version: 3 } });
  });

  it('sends once per case: a solve after a sent survey arms nothing, a reopen cancels nothing', () => {
    expect(onSolved(sent(), move('solved', later(120)), 's-2', 3600)).toEqual({ action: 'none', why: 'already-sent' });
    expect(onReopened(sent(), move('open', later(120), 'solved'))).toEqual({ action: 'none', why: 'sent' });
  });

  it('ignores an event older than the one that last moved the survey (late delivery)', () => {
    const cancelled = onReopened(undefined, move('open', later(10), 'solved'));
    expect(cancelled).toMatchObject({ action: 'cancel', unschedule: false, survey: { status: 'cancelled', statusAt: later(10) } });
    if (cancelled.action !== 'cancel') throw new Error('not cancelled');
    expect(onSolved(cancelled.survey, move('solved', T0), 's-1', 3600)).toEqual({ action: 'none', why: 'stale' });
  });

  it('re-arms the same survey on a duplicate delivery, without writing (the schedule is created again)', () => {
    const survey = armed();
    expect(onSolved(survey, move('solved'), 's-9', 3600)).toEqual({ action: 'arm', survey, write: false });
  });

  it('a gate refusal may be re-armed later (only a sent survey counts as the one survey)', () => {
    const refused = markNotSent(armed(), 'suppressed');
    expect(refused).toMatchObject({ status: 'not_sent', reason: 'suppressed' });
    expect(onSolved(refused, move('solved', later(200)), 's-2', 3600)).toMatchObject({ action: 'arm', survey: { surveyId: 's-2' } });
  });

  it('fires only the survey still armed under that id, for a case still solved or closed', () => {
    const survey = armed();
    expect(mayFire(survey, 's-1', 'solved')).toBe(true);
    expect(mayFire(survey, 's-1', 'closed')).toBe(true);
    expect(mayFire(survey, 's-1', 'open')).toBe(false);
    expect(mayFire(survey, 's-0', 'solved')).toBe(false);
    expect(mayFire(sent(survey), 's-1', 'solved')).toBe(false);
    expect(mayFire(undefined, 's-1', 'solved')).toBe(false);
  });
});

describe('answers and figures', () => {
  it('a first answer is a response; its score and satisfaction count', () => {
    const first = answer(sent(), 4, 'Quick', new Date(later(90)));
    expect(first.previousScore).toBeNull();
    expect(first.deltas).toEqual({ surveysSent: 0, responses: 1, scoreSum: 4, satisfied: 1 });
    expect(first.satisfaction).toEqual({ score: 4, comment: 'Quick', ratedAt: later(90) });
    expect(first.survey).toMatchObject({ score: 4, comment: 'Quick', answeredAt: later(90) });
  });

  it('a re-answer moves the score and keeps the response count (the last answer counts)', () => {
    const first = answer(sent(), 5, null, new Date(later(90)));
    const second = answer(first.survey, 2, 'On second thought', new Date(later(95)));
    expect(second.previousScore).toBe(5);
    expect(second.deltas).toEqual({ surveysSent: 0, responses: 0, scoreSum: -3, satisfied: -1 });
    const third = answer(second.survey, 4, null, new Date(later(99)));
    expect(third.deltas).toEqual({ surveysSent: 0, responses: 0, scoreSum: 2, satisfied: 1 });
    const total = [first, second, third].reduce((sum, a) => addCounts(sum, a.deltas), addCounts(NO_COUNTS, { surveysSent: 1 }));
    expect(total).toEqual({ surveysSent: 1, responses: 1, scoreSum: 4, satisfied: 1 });
  });

  it('reports response rate, average and CSAT % (share of 4 and 5), null with nothing to divide', () => {
    expect(csatFigures(NO_COUNTS)).toEqual({ surveysSent: 0, responses: 0, responseRate: null, averageScore: null, csatPercent: null });
    expect(csatFigures({ surveysSent: 3, responses: 0, scoreSum: 0, satisfied: 0 })).toMatchObject({ responseRate: 0, averageScore: null, csatPercent: null });
    // Scores 5, 4, 2 of 3 answers to 7 surveys.
    expect(csatFigures({ surveysSent: 7, responses: 3, scoreSum: 11, satisfied: 2 })).toEqual({
      surveysSent: 7,
      responses: 3,
      responseRate: 42.9,
      averageScore: 3.67,
      csatPercent: 66.7,
    });
  });
});
