import { CaseSurveySent } from '#events/case-survey-sent.event.ts';
import type { CaseRepository } from '../cases/case.repository.ts';
import type { Recipient } from '../consent/consent.repository.ts';
import { type EmailGate, escapeHtml } from '../consent/email-gate.ts';
import type { TokenSigner } from '../consent/tokens.ts';
import { headerSafe } from '../shared/email.ts';
import { ConcurrentUpdateError } from '../shared/errors.ts';
import { onceOnly } from '../shared/once.ts';
import type { Clock, CommandContext, IdGenerator, OneOffSchedules, OnceGuard } from '../shared/ports.ts';
import type { SurveyRepository } from './survey.repository.ts';
import { LINK_TTL_SECONDS, markNotSent, markSent, mayFire, onReopened, onSolved, scheduleName, SCORES, type StatusDecision, type StatusMove, type Survey } from './survey.ts';

// The csatSurveys function: the case-status rule arms and cancels surveys, their one-off schedule
// sends them through the gate, CustomerErased scrubs them.

export interface SurveyMailDeps {
  readonly surveys: SurveyRepository;
  readonly cases: Pick<CaseRepository, 'get' | 'casesOf'>;
  readonly schedules: OneOffSchedules;
  readonly gate: Pick<EmailGate, 'send'>;
  /** The customer's address from their profile ('erased' from the moment erasure begins). */
  readonly people: { recipient(customerId: string): Promise<Recipient | 'erased' | undefined> };
  readonly tokens: TokenSigner;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly once: OnceGuard;
  readonly delaySeconds: number;
  /** The public API's base URL, for the score links. */
  readonly linkBase: () => string;
}

const MAX_ATTEMPTS = 10;

const WORDS: Record<number, string> = { 1: 'Very dissatisfied', 2: 'Dissatisfied', 3: 'Neutral', 4: 'Satisfied', 5: 'Very satisfied' };
export const scoreWord = (score: number) => WORDS[score] ?? String(score);

export function surveyMail(deps: SurveyMailDeps) {
  const { surveys, cases, schedules, gate, people, tokens, clock, ids, once, delaySeconds, linkBase } = deps;

  /** Re-reads and decides again when a concurrent delivery moved the survey first. */
  async function decideAndSave(caseId: string, decide: (current: Survey | undefined) => StatusDecision): Promise<StatusDecision> {
    for (let attempt = 1; ; attempt++) {
      const current = await surveys.get(caseId);
      const decision = decide(current);
      try {
        if (decision.action === 'arm' && decision.write) await surveys.save(decision.survey, current?.version);
        if (decision.action === 'cancel') await surveys.save(decision.survey, current?.version);
        return decision;
      } catch (error) {
        if (!(error instanceof ConcurrentUpdateError) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  function links(caseId: string, surveyId: string, customerId: string): Promise<{ score: number; url: string }[]> {
    const exp = Math.floor(clock.now().getTime() / 1000) + LINK_TTL_SECONDS;
    return Promise.all(
      SCORES.map(async (score) => {
        const token = await tokens.sign({ purpose: 'csat', caseId, surveyId, customerId, score, exp });
        return { score, url: `${linkBase()}/csat?token=${encodeURIComponent(token)}&score=${score}` };
      }),
    );
  }

  /** Records the gate's outcome; the mail has gone (or was refused) whatever moved the survey meanwhile. */
  async function settle(caseId: string, surveyId: string, apply: (s: Survey) => Survey, events: (s: Survey) => ReturnType<typeof CaseSurveySent.of>[], context: CommandContext) {
    for (let attempt = 1; ; attempt++) {
      const current = await surveys.get(caseId);
      if (!current || current.surveyId !== surveyId) return;
      const next = apply(current);
      try {
        await surveys.settle(next, current.version, events(next), context);
        return;
      } catch (error) {
        if (!(error instanceof ConcurrentUpdateError) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  return {
    /** CaseStatusChanged (solved, or solved -> open): arms or cancels the case's survey and its schedule. */
    async onStatusChanged(move: StatusMove): Promise<string> {
      // The rule's pattern lets only these through; anything else (a hand-sent test event) changes nothing.
      if (move.to !== 'solved' && !(move.from === 'solved' && move.to === 'open')) return 'ignored';
      const decision = await decideAndSave(move.caseId, (current) => (move.to === 'solved' ? onSolved(current, move, ids.next(), delaySeconds) : onReopened(current, move)));
      if (decision.action === 'arm') {
        await schedules.at(scheduleName(move.caseId), decision.survey.dueAt!, 'csatSurveys', { caseId: move.caseId, surveyId: decision.survey.surveyId });
        return 'scheduled';
      }
      if (decision.action === 'cancel') {
        if (decision.unschedule) await schedules.cancel(scheduleName(move.caseId));
        return 'cancelled';
      }
      return decision.why;
    },

    /**
     * The schedule's time: the survey mail through the gate (service mail: suppression and erasure
     * refuse it, marketing consent does not matter), once per armed survey.
     */
    async fire(input: { caseId: string; surveyId: string }, context: CommandContext): Promise<string> {
      const { caseId, surveyId } = input;
      const survey = await surveys.get(caseId);
      const found = await cases.get(caseId);
      if (!found || !mayFire(survey, surveyId, found.status)) return 'stale';
      const outcome = await onceOnly(once, `csat#${caseId}#${surveyId}`, async () => {
        const person = await people.recipient(found.customerId);
        const mail = surveyMessage(found, await links(caseId, surveyId, found.customerId));
        const result = await gate.send(
          // Keyed by survey: a retry records one delivery; a later survey of a refused one records its own.
          { kind: 'service', customerId: found.customerId, topic: null, to: typeof person === 'object' ? [person.email] : [], ...mail, deliveryKey: `csat-${caseId}-${surveyId}` },
          context,
        );
        if (result.outcome === 'sent') {
          const now = clock.now();
          await settle(
            caseId,
            surveyId,
            (s) => markSent(s, now, { queue: found.queue, assigneeId: found.assigneeId }),
            (s) => [CaseSurveySent.of({ caseId, customerId: found.customerId, surveyId, queue: s.queue!, assigneeId: s.assigneeId })],
            context,
          );
        } else {
          await settle(caseId, surveyId, (s) => markNotSent(s, result.reason), () => [], context);
        }
        return result.outcome === 'sent' ? 'sent' : `blocked:${result.reason}`;
      });
      return outcome;
    },

    /** CustomerErased: the person's survey comments go (scores stay as anonymous figures); a survey not yet sent never will be. */
    async onErased(erasedIds: readonly string[], knownCaseIds: readonly string[]): Promise<number> {
      const caseIds = new Set(knownCaseIds);
      for (const id of erasedIds) for (const c of await cases.casesOf(id)) caseIds.add(c.id);
      let scrubbed = 0;
      for (const caseId of caseIds) {
        const survey = await surveys.get(caseId);
        if (!survey || !erasedIds.includes(survey.customerId)) continue;
        if (survey.status === 'scheduled') {
          await settle(caseId, survey.surveyId, (s) => (s.status === 'scheduled' ? markNotSent(s, 'erased') : s), () => [], { correlationId: `erasure-${caseId}` });
          await schedules.cancel(scheduleName(caseId));
        }
        if (await surveys.scrubComment(caseId, erasedIds)) scrubbed++;
      }
      return scrubbed;
    },
  };
}

export type SurveyMail = ReturnType<typeof surveyMail>;

/** The survey email: one link per score; plain text and HTML say the same. */
export function surveyMessage(c: { number: string; subject: string }, links: readonly { score: number; url: string }[]) {
  const subject = `How did we do? ${headerSafe(c.number)}: ${headerSafe(c.subject)}`.slice(0, 200);
  const text = [
    `Your case ${c.number} ("${c.subject}") was solved. How satisfied are you with the help you got?`,
    '',
    ...links.map((l) => `${l.score} - ${scoreWord(l.score)}: ${l.url}`),
    '',
    'One click opens a page where you can add a comment before you send your answer.',
  ].join('\n');
  const html = `<p>Your case <b>${escapeHtml(c.number)}</b> (${escapeHtml(c.subject)}) was solved. How satisfied are you with the help you got?</p><ul>${links
    .map((l) => `<li><a href="${escapeHtml(l.url)}">${l.score} - ${escapeHtml(scoreWord(l.score))}</a></li>`)
    .join('')}</ul><p>One click opens a page where you can add a comment before you send your answer.</p>`;
  return { subject, text, html };
}
