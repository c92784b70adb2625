import type { DomainEvent } from '#events/define-event.ts';
import type { Case } from '../cases/case.schema.ts';
import type { SlaPolicy } from '../cases/sla-policy.ts';
import type { CommandContext } from '../shared/ports.ts';
import type { CsatCounters, Survey } from './survey.ts';

/** A recorded answer: the survey and the case move together, with the figures, the timeline entry and the event. */
export interface AnswerWrite {
  readonly previous: Survey;
  readonly next: Survey;
  readonly previousCase: Case;
  readonly nextCase: Case;
  /** The case's SLA policy (its item's index attributes follow from it). */
  readonly policy: SlaPolicy;
  readonly deltas: CsatCounters;
  /** The customer's timeline entry's id. */
  readonly entryId: string;
  readonly events: DomainEvent[];
}

/**
 * Persistence port for surveys (one per case). Every write is conditional on the survey's version
 * (ConcurrentUpdateError when it moved) and commits with its figures and events in one transaction.
 */
export interface SurveyRepository {
  get(caseId: string): Promise<Survey | undefined>;
  /** Arms, re-arms or cancels (no figures, no events). */
  save(next: Survey, previousVersion: number | undefined): Promise<void>;
  /** Sent or refused by the gate; `sent` counts it and carries its event. */
  settle(next: Survey, previousVersion: number, events: DomainEvent[], context: CommandContext): Promise<void>;
  /**
   * The answer, the case's satisfaction (conditional on the case's version too), the customer's
   * timeline entry, the figures and CaseRated. A customer who is erased or being erased refuses it
   * (CustomerErasedError / CustomerBeingErasedError).
   */
  recordAnswer(write: AnswerWrite, context: CommandContext): Promise<void>;
  /** Sums the figures of the UTC days from..to (both included) of one bucket (queue and/or assignee, or all). */
  totals(from: string, to: string, queue?: string, assignee?: string): Promise<CsatCounters>;
  /** Erasure: drops the survey's comment (score and figures stay, anonymous). True when there was one. */
  scrubComment(caseId: string, customerIds: readonly string[]): Promise<boolean>;
}
