import type { Satisfaction } from '../cases/case.schema.ts';

// A case's satisfaction survey (issue 11): armed when the case is solved, cancelled when it is
// reopened before it went out, sent once, answered as often as the customer likes (the last
// answer counts). Pure: every decision here, every write in the adapters.

export type SurveyStatus = 'scheduled' | 'cancelled' | 'sent' | 'not_sent';

export interface Survey {
  readonly caseId: string;
  readonly customerId: string;
  /** New each time the survey is armed: a schedule that fires for an older one sends nothing. */
  readonly surveyId: string;
  readonly status: SurveyStatus;
  /** When the status event that last moved the survey happened: older events, delivered late, change nothing. */
  readonly statusAt: string;
  readonly dueAt: string | null;
  readonly sentAt: string | null;
  /** Why the gate refused it (suppressed, erased); `not_sent` only. */
  readonly reason: string | null;
  /** The case's queue and assignee when it went out: the figures it counts towards, answers included. */
  readonly queue: string | null;
  readonly assigneeId: string | null;
  readonly score: number | null;
  readonly comment: string | null;
  readonly answeredAt: string | null;
  readonly version: number;
}

/** The defaults: an hour after the case was solved; each score link is good for 30 days. */
export const DEFAULT_DELAY_SECONDS = 3600;
export const LINK_TTL_SECONDS = 30 * 24 * 3600;
/** Satisfied answers: the share of these among responses is the CSAT %. */
export const SATISFIED_MIN = 4;
export const SCORES = [1, 2, 3, 4, 5] as const;

/** The one-off schedule that sends a case's survey (one per case: re-arming replaces it). */
export const scheduleName = (caseId: string) => `csat-${caseId}`;

export interface StatusMove {
  readonly caseId: string;
  readonly customerId: string;
  readonly from: string;
  readonly to: string;
  /** When the case moved (the event's time). */
  readonly at: string;
}

export type StatusDecision =
  | { readonly action: 'arm'; readonly survey: Survey; readonly write: boolean }
  | { readonly action: 'cancel'; readonly survey: Survey; readonly unschedule: boolean }
  | { readonly action: 'none'; readonly why: string };

const stale = (current: Survey | undefined, at: string) => current !== undefined && current.statusAt > at;

/** The fields of a survey that nothing has been sent or answered for yet. */
const UNSENT = { sentAt: null, reason: null, queue: null, assigneeId: null, score: null, comment: null, answeredAt: null } as const;

/**
 * Solved: arm the survey unless one already went out (a case gets one survey). A duplicate delivery
 * of the same event re-arms the same survey (write: false), so a schedule that failed to be created
 * the first time is created by the retry.
 */
export function onSolved(current: Survey | undefined, move: StatusMove, newSurveyId: string, delaySeconds: number): StatusDecision {
  if (current?.status === 'sent') return { action: 'none', why: 'already-sent' };
  if (stale(current, move.at)) return { action: 'none', why: 'stale' };
  if (current?.status === 'scheduled' && current.statusAt === move.at) return { action: 'arm', survey: current, write: false };
  const dueAt = new Date(Date.parse(move.at) + delaySeconds * 1000).toISOString();
  const survey: Survey = {
    caseId: move.caseId,
    customerId: move.customerId,
    surveyId: newSurveyId,
    status: 'scheduled',
    statusAt: move.at,
    dueAt,
    ...UNSENT,
    version: (current?.version ?? 0) + 1,
  };
  return { action: 'arm', survey, write: true };
}

/**
 * Reopened from solved: a survey not yet sent is cancelled. With no survey yet (the solve's event
 * is late), a cancelled record dated now makes that late solve stale.
 */
export function onReopened(current: Survey | undefined, move: StatusMove): StatusDecision {
  if (stale(current, move.at)) return { action: 'none', why: 'stale' };
  if (current && current.status !== 'scheduled') return { action: 'none', why: current.status };
  const base: Survey = current ?? {
    caseId: move.caseId,
    customerId: move.customerId,
    surveyId: '-',
    status: 'cancelled',
    statusAt: move.at,
    dueAt: null,
    ...UNSENT,
    version: 0,
  };
  return { action: 'cancel', survey: { ...base, status: 'cancelled', statusAt: move.at, version: base.version + 1 }, unschedule: current !== undefined };
}

/** At the schedule's time: send only the survey still armed under that id, for a case still solved (or since closed). */
export function mayFire(survey: Survey | undefined, surveyId: string, caseStatus: string | undefined): boolean {
  return survey?.status === 'scheduled' && survey.surveyId === surveyId && (caseStatus === 'solved' || caseStatus === 'closed');
}

export function markSent(survey: Survey, at: Date, counted: { queue: string; assigneeId: string | null }): Survey {
  return { ...survey, status: 'sent', sentAt: at.toISOString(), queue: counted.queue, assigneeId: counted.assigneeId, version: survey.version + 1 };
}

/** The gate refused (suppressed, erased): recorded so the schedule's retries do not try again. */
export function markNotSent(survey: Survey, reason: string): Survey {
  return { ...survey, status: 'not_sent', reason, version: survey.version + 1 };
}

/** Report counters; each is added per UTC day of the survey's sending. */
export interface CsatCounters {
  readonly surveysSent: number;
  readonly responses: number;
  readonly scoreSum: number;
  /** Responses scoring 4 or 5. */
  readonly satisfied: number;
}

export const NO_COUNTS: CsatCounters = { surveysSent: 0, responses: 0, scoreSum: 0, satisfied: 0 };

const satisfied = (score: number | null) => (score !== null && score >= SATISFIED_MIN ? 1 : 0);

export interface Answer {
  readonly survey: Survey;
  readonly satisfaction: Satisfaction;
  readonly previousScore: number | null;
  /** What the answer adds to the figures: a first answer is a response; a re-answer only moves the score. */
  readonly deltas: CsatCounters;
}

/** The customer's answer: the last one counts. Only a sent survey takes one. */
export function answer(survey: Survey, score: number, comment: string | null, now: Date): Answer {
  const previousScore = survey.score;
  const ratedAt = now.toISOString();
  return {
    survey: { ...survey, score, comment, answeredAt: ratedAt, version: survey.version + 1 },
    satisfaction: { score, comment, ratedAt },
    previousScore,
    deltas: {
      surveysSent: 0,
      responses: previousScore === null ? 1 : 0,
      scoreSum: score - (previousScore ?? 0),
      satisfied: satisfied(score) - satisfied(previousScore),
    },
  };
}

/** The day (UTC) whose figures a survey counts towards: the day it went out, answers included, so the response rate compares like with like. */
export const countingDay = (survey: Pick<Survey, 'sentAt'>) => survey.sentAt!.slice(0, 10);

export function addCounts(a: CsatCounters, b: Partial<CsatCounters>): CsatCounters {
  return {
    surveysSent: a.surveysSent + (b.surveysSent ?? 0),
    responses: a.responses + (b.responses ?? 0),
    scoreSum: a.scoreSum + (b.scoreSum ?? 0),
    satisfied: a.satisfied + (b.satisfied ?? 0),
  };
}

const ratio = (part: number, whole: number, digits: number) => (whole === 0 ? null : Math.round((part / whole) * 10 ** digits) / 10 ** digits);

/** Response rate and CSAT % as percentages (one decimal), average score to two decimals; null with nothing to divide. */
export function csatFigures(totals: CsatCounters) {
  return {
    surveysSent: totals.surveysSent,
    responses: totals.responses,
    responseRate: ratio(totals.responses * 100, totals.surveysSent, 1),
    averageScore: ratio(totals.scoreSum, totals.responses, 2),
    csatPercent: ratio(totals.satisfied * 100, totals.responses, 1),
  };
}
