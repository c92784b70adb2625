import type { DomainEvent } from '#events/define-event.ts';
import type { Page } from '../customers/customer.repository.ts';
import type { CommandContext } from '../shared/ports.ts';
import type { ReportDay } from './case-counters.ts';
import type { Case, CaseStatus, Comment, Priority, Queue } from './case.schema.ts';
import type { SlaPolicy } from './sla-policy.ts';

export interface CaseQuery {
  readonly status?: CaseStatus;
  readonly queue?: string;
  readonly assigneeId?: string;
  /** With status: the customer's cases in that status (a filter on the customer's index partition). */
  readonly customerId?: string;
  readonly priority?: Priority;
  readonly limit: number;
  readonly cursor?: string;
}

/**
 * Persistence port for cases. Every write commits the case, its counters (reports, open cases
 * per agent), its SLA watch entry and its events in one transaction, conditional on the version.
 */
export interface CaseRepository {
  /** The next human-readable case number (strictly increasing). */
  nextNumber(): Promise<number>;
  /** Throws UnknownCustomerError when the customer does not exist (or was merged or erased). */
  create(opened: Case, events: DomainEvent[], context: CommandContext, policy: SlaPolicy): Promise<{ case: Case; replayed: boolean }>;
  get(id: string): Promise<Case | undefined>;
  list(query: CaseQuery): Promise<Page<Case>>;
  /**
   * ConcurrentUpdateError when the stored version moved. `comment` is stored with the change. A
   * change that adds text about the customer (comment, subject, description, tags) or moves the
   * case to another customer is refused once that customer's erasure began (CustomerBeingErasedError,
   * CustomerErasedError; a move also CustomerMergedError). With a comment and an idempotency claim
   * used before, writes nothing and returns the comment the first call added
   * (IdempotencyKeyReusedError if it came with another request).
   */
  update(previous: Case, next: Case, events: DomainEvent[], context: CommandContext, policy: SlaPolicy, comment?: Comment): Promise<Comment | undefined>;
  comments(caseId: string, query: { limit: number; cursor?: string; publicOnly?: boolean }): Promise<Page<Comment>>;
  /**
   * Self-service: whether the customer a token names is there (being erased still is), merged into
   * another profile, or missing (never created, or erased).
   */
  profileState(customerId: string): Promise<'live' | 'merged' | 'missing'>;
  /** Every case of a customer (for the timeline, export and erasure). */
  casesOf(customerId: string): Promise<Case[]>;

  queue(name: string): Promise<Queue | undefined>;
  putQueue(queue: Queue): Promise<void>;
  openCounts(agentIds: readonly string[]): Promise<Map<string, number>>;

  /** Cases whose next SLA check is due by `now` (a sparse index: nothing else is in it). */
  dueForSla(now: Date, limit: number): Promise<Case[]>;
  policy(version?: number): Promise<SlaPolicy>;
  /** Saves a new version if the current one is still `previousVersion`; else ConcurrentUpdateError. */
  savePolicy(policy: SlaPolicy, previousVersion: number): Promise<void>;
  /** The stored day counters of the range (days without a change are absent) and the breached open cases now. */
  reportDays(from: string, to: string, queue?: string): Promise<{ days: ReportDay[]; breachedOpen: number }>;
  /** Replaces personal text of a customer's cases (subject, description, comments). */
  /**
   * Keeps the cases of the customer (found through the index, plus `knownCaseIds` whose stored
   * customer is this one) with their numbers and timings, not their text.
   */
  scrubCustomer(customerId: string, context: CommandContext, knownCaseIds?: readonly string[]): Promise<number>;
}
