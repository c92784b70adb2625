import type { Case } from '../../domain/cases/case.schema.ts';
import { ConcurrentUpdateError, CustomerBeingErasedError } from '../../domain/shared/errors.ts';
import type { AnswerWrite, SurveyRepository } from '../../domain/surveys/survey.repository.ts';
import { addCounts, countingDay, type CsatCounters, NO_COUNTS, type Survey } from '../../domain/surveys/survey.ts';
import type { DomainEvent } from '../../events/define-event.ts';

// Surveys and the cases they rate, in memory, with the adapter's conditions: every write checks
// the survey's version, an answer also the case's and that the person is not being erased.

const copy = <T>(value: T): T => structuredClone(value);

export interface FakeSurveyRepository extends SurveyRepository {
  readonly cases: Map<string, Case>;
  readonly events: readonly DomainEvent[];
  readonly timeline: readonly { customerId: string; caseId: string; score: number }[];
  /** Day counters per bucket `${queue|*}#${assignee|*}`. */
  bucket(queue?: string, assignee?: string): CsatCounters;
  erasing(customerId: string): void;
  /** Runs `interleave` just before the next write checks its conditions (a concurrent writer). */
  beforeNextWrite(interleave: () => Promise<unknown>): void;
}

export function fakeSurveyRepository(): FakeSurveyRepository {
  const surveys = new Map<string, Survey>();
  const cases = new Map<string, Case>();
  const events: DomainEvent[] = [];
  const timeline: { customerId: string; caseId: string; score: number }[] = [];
  const counters = new Map<string, Map<string, CsatCounters>>();
  const erasing = new Set<string>();
  let interleave: (() => Promise<unknown>) | undefined;

  async function interleaved() {
    const run = interleave;
    interleave = undefined;
    await run?.();
  }
  function check(previousVersion: number | undefined, caseId: string) {
    if ((surveys.get(caseId)?.version ?? undefined) !== previousVersion) throw new ConcurrentUpdateError();
  }
  function count(survey: Survey, deltas: Partial<CsatCounters>) {
    const buckets = [`*#*`, `${survey.queue}#*`, ...(survey.assigneeId ? [`*#${survey.assigneeId}`, `${survey.queue}#${survey.assigneeId}`] : [])];
    for (const bucket of buckets) {
      const days = counters.get(bucket) ?? new Map<string, CsatCounters>();
      days.set(countingDay(survey), addCounts(days.get(countingDay(survey)) ?? NO_COUNTS, deltas));
      counters.set(bucket, days);
    }
  }

  return {
    cases,
    events,
    timeline,
    bucket: (queue = '*', assignee = '*') => [...(counters.get(`${queue}#${assignee}`)?.values() ?? [])].reduce(addCounts, NO_COUNTS),
    erasing: (customerId) => void erasing.add(customerId),
    beforeNextWrite: (run) => void (interleave = run),

    async get(caseId) {
      const found = surveys.get(caseId);
      return found ? copy(found) : undefined;
    },
    async save(next, previousVersion) {
      await interleaved();
      check(previousVersion, next.caseId);
      surveys.set(next.caseId, copy(next));
    },
    async settle(next, previousVersion, list) {
      await interleaved();
      check(previousVersion, next.caseId);
      surveys.set(next.caseId, copy(next));
      if (next.status === 'sent') count(next, { surveysSent: 1 });
      events.push(...list);
    },
    async recordAnswer(write: AnswerWrite) {
      await interleaved();
      check(write.previous.version, write.next.caseId);
      if (cases.get(write.nextCase.id)?.version !== write.previousCase.version) throw new ConcurrentUpdateError();
      if (erasing.has(write.nextCase.customerId)) throw new CustomerBeingErasedError(write.nextCase.customerId);
      surveys.set(write.next.caseId, copy(write.next));
      cases.set(write.nextCase.id, copy(write.nextCase));
      timeline.push({ customerId: write.nextCase.customerId, caseId: write.nextCase.id, score: write.next.score! });
      count(write.next, write.deltas);
      events.push(...write.events);
    },
    async totals(from, to, queue, assignee) {
      const days = [...(counters.get(`${queue ?? '*'}#${assignee ?? '*'}`) ?? new Map<string, CsatCounters>())];
      return days.filter(([day]) => day >= from && day <= to).map(([, c]) => c).reduce(addCounts, NO_COUNTS);
    },
    async scrubComment(caseId, customerIds) {
      const found = surveys.get(caseId);
      if (!found || !customerIds.includes(found.customerId) || found.comment === null) return false;
      surveys.set(caseId, { ...found, comment: null, version: found.version + 1 });
      return true;
    },
  };
}
