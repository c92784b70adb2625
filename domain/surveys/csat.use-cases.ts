import { CaseRated } from '#events/case-rated.event.ts';
import { rateCase } from '../cases/case.ts';
import { reportRange } from '../cases/case-counters.ts';
import type { CaseRepository } from '../cases/case.repository.ts';
import type { Case } from '../cases/case.schema.ts';
import type { Recipient } from '../consent/consent.repository.ts';
import type { CsatTokenPayload, TokenSigner } from '../consent/tokens.ts';
import { ConcurrentUpdateError, CustomerBeingErasedError, CustomerErasedError, NotFoundError, TokenExpiredError, ValidationError } from '../shared/errors.ts';
import type { Clock, CommandContext, IdGenerator } from '../shared/ports.ts';
import type { CsatForm, CsatReport } from './csat.schema.ts';
import type { SurveyRepository } from './survey.repository.ts';
import { answer, csatFigures, type Survey } from './survey.ts';

// The csat function: the answer page from the email link, its form, and the report.

export interface CsatDeps {
  readonly surveys: SurveyRepository;
  readonly cases: Pick<CaseRepository, 'get' | 'policy'>;
  readonly people: { recipient(customerId: string): Promise<Recipient | 'erased' | undefined> };
  readonly tokens: TokenSigner;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

export class SurveyNotFoundError extends NotFoundError {
  constructor() {
    super('There is nothing to rate for this link.');
  }
}

const MAX_ATTEMPTS = 25;

export function csatUseCases({ surveys, cases, people, tokens, clock, ids }: CsatDeps) {
  /** The link's survey: tampered or foreign 400, expired 410, its case, survey or person gone 404. */
  async function open(token: string): Promise<{ payload: CsatTokenPayload; survey: Survey; case: Case }> {
    const payload = await tokens.verify(token, clock.now());
    if (payload === 'expired') throw new TokenExpiredError('This survey link has expired.');
    if (payload === 'invalid' || payload.purpose !== 'csat') throw new ValidationError('This survey link is not valid.');
    const [survey, found] = await Promise.all([surveys.get(payload.caseId), cases.get(payload.caseId)]);
    if (!survey || !found || survey.surveyId !== payload.surveyId || survey.status !== 'sent') throw new SurveyNotFoundError();
    const person = await people.recipient(found.customerId);
    if (person === undefined || person === 'erased') throw new SurveyNotFoundError();
    return { payload, survey, case: found };
  }

  return {
    /** GET /csat: what the page shows; records nothing (mail scanners follow every link). */
    async page(token: string, score?: number) {
      const { payload, case: c } = await open(token);
      return { number: c.number, subject: c.subject, score: score ?? payload.score };
    },

    /**
     * POST /csat: the last answer counts. flow: 1. verify and read survey and case 2. the answer
     * and the case's satisfaction 3. one transaction (survey, case, timeline, figures, CaseRated),
     * conditional on both versions; a concurrent answer or case change retries from 1.
     */
    async answer(form: CsatForm, context: CommandContext) {
      const comment = form.comment?.trim() || null;
      for (let attempt = 1; ; attempt++) {
        const { survey, case: previousCase } = await open(form.token);
        const now = clock.now();
        const result = answer(survey, form.score, comment, now);
        const nextCase = rateCase(previousCase, result.satisfaction, now);
        const event = CaseRated.of({
          caseId: survey.caseId,
          customerId: previousCase.customerId,
          surveyId: survey.surveyId,
          score: form.score,
          previousScore: result.previousScore,
          queue: survey.queue ?? previousCase.queue,
          assigneeId: survey.assigneeId,
        });
        try {
          const policy = await cases.policy(previousCase.sla.policyVersion);
          await surveys.recordAnswer({ previous: survey, next: result.survey, previousCase, nextCase, policy, deltas: result.deltas, entryId: ids.next(), events: [event] }, context);
          return { number: nextCase.number, score: form.score };
        } catch (error) {
          // The person's erasure began after the read: nothing of theirs is written any more.
          if (error instanceof CustomerErasedError || error instanceof CustomerBeingErasedError) throw new SurveyNotFoundError();
          if (!(error instanceof ConcurrentUpdateError) || attempt >= MAX_ATTEMPTS) throw error;
        }
      }
    },

    /** GET /reports/csat: from the day counters; days as GET /reports/sla (default the last 30, at most a year). */
    async report(query: { from?: string; to?: string; queue?: string; assignee?: string }): Promise<CsatReport> {
      const range = reportRange({ ...(query.from ? { from: query.from } : {}), ...(query.to ? { to: query.to } : {}) }, clock.now());
      const totals = await surveys.totals(range.from, range.to, query.queue, query.assignee);
      return { ...range, queue: query.queue ?? null, assignee: query.assignee ?? null, ...csatFigures(totals) };
    },
  };
}

export type CsatUseCases = ReturnType<typeof csatUseCases>;
