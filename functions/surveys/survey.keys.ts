import type { Case } from '#domain/cases/case.schema.ts';
import type { CsatCounters, Survey } from '#domain/surveys/survey.ts';
import { toInteractionItem } from '../customers/customer.keys.ts';

// Keys and item mappers for satisfaction surveys (pure; no I/O).
//   survey            pk CASE#<caseId>                           sk SURVEY          one per case (status, answer)
//   report day        pk REPORT#CSAT#<queue|*>#<assignee|*>      sk DAY#<yyyy-mm-dd> surveysSent, responses, scoreSum, satisfied
//   timeline entry    pk CUSTOMER#<customerId>                   sk TL#<ratedAt>#<id> (kind case, type case_rated)

export const ALL = '*';
export const surveyKey = (caseId: string) => ({ pk: `CASE#${caseId}`, sk: 'SURVEY' });
/** Queue names have no '#', so queue and assignee never run into each other. */
export const csatDayKey = (queue: string, assignee: string, day: string) => ({ pk: `REPORT#CSAT#${queue}#${assignee}`, sk: `DAY#${day}` });
export const csatPartition = (queue: string | undefined, assignee: string | undefined) => `REPORT#CSAT#${queue ?? ALL}#${assignee ?? ALL}`;

export function toSurveyItem(s: Survey): Record<string, unknown> {
  return { ...surveyKey(s.caseId), type: 'Survey', data: s, version: s.version, customerId: s.customerId };
}

export const fromSurveyItem = (item: Record<string, unknown>): Survey => item.data as Survey;

/** The buckets a survey counts in: everything, its queue, its assignee, both (no assignee: the first two). */
export function csatBuckets(queue: string, assigneeId: string | null): { queue: string; assignee: string }[] {
  const buckets = [
    { queue: ALL, assignee: ALL },
    { queue, assignee: ALL },
  ];
  if (assigneeId) buckets.push({ queue: ALL, assignee: assigneeId }, { queue, assignee: assigneeId });
  return buckets;
}

export const COUNTER_FIELDS = ['surveysSent', 'responses', 'scoreSum', 'satisfied'] as const satisfies readonly (keyof CsatCounters)[];

/** The customer's timeline entry for an answer (the score, never the comment: that stays on the case). */
export function ratingTimelineItem(c: Case, score: number, surveyId: string, entryId: string, at: string): Record<string, unknown> {
  return toInteractionItem({
    kind: 'case',
    id: entryId,
    customerId: c.customerId,
    anonymousId: null,
    channel: 'web',
    type: 'case_rated',
    direction: 'inbound',
    occurredAt: at,
    recordedAt: at,
    summary: `${c.number}: rated ${score} of 5`,
    data: { caseId: c.id, number: c.number, surveyId, score },
    value: null,
  });
}
