import type { DomainEvent } from '#events/define-event.ts';
import type { CommandContext } from '../shared/ports.ts';
import type { Opportunity, Stage } from './opportunity.schema.ts';

// What the opportunities use cases need from storage (functions/sales/opportunity.dynamodb-repository.ts).

export interface OpportunityQuery {
  readonly limit: number;
  readonly cursor?: string | undefined;
  readonly stage?: Stage | undefined;
  readonly owner?: string | undefined;
  readonly account?: string | undefined;
  /** Opportunities whose closeDate is before this day (exclusive), soonest first. */
  readonly closingBefore?: string | undefined;
  /** The partner account's opportunities only (its index partition; the other filter then narrows within it). */
  readonly partner?: string | undefined;
}

/**
 * Why a write did not commit: the account is not there, the assignment names no partner account,
 * the version moved, or the stage it enters left the pipeline meanwhile.
 */
export type OpportunitySaveResult = { saved: Opportunity } | { refused: 'unknown-account' | 'not-a-partner' | 'version-moved' | 'unknown-stage' };

export interface OpportunityRepository {
  get(id: string): Promise<Opportunity | undefined>;
  /** Newest first (closingBefore: soonest closeDate first); at most one filter (one index Query each), besides the partner's partition. */
  list(query: OpportunityQuery): Promise<{ items: Opportunity[]; nextCursor: string | null }>;
  /**
   * One transaction: the account still exists, the partner account (if assigned) is a partner, the
   * opportunity, its events, the pipeline counters (functions/sales/pipeline-counters.ts) and the
   * idempotency record (a replay answers the first result).
   */
  create(opportunity: Opportunity, events: DomainEvent[], context: CommandContext): Promise<OpportunitySaveResult>;
  /** One transaction: the version is still `previous`'s, a new assignment's partner account, the new item, its events, the pipeline counters' moves. */
  update(previous: Opportunity, next: Opportunity, events: DomainEvent[], context: CommandContext): Promise<OpportunitySaveResult>;
}
