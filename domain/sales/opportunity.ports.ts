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
}

/** Why a write did not commit: the account is not there, or the version moved. */
export type OpportunitySaveResult = { saved: Opportunity } | { refused: 'unknown-account' | 'version-moved' };

export interface OpportunityRepository {
  get(id: string): Promise<Opportunity | undefined>;
  /** Newest first; at most one filter (one index Query each). */
  list(query: OpportunityQuery): Promise<{ items: Opportunity[]; nextCursor: string | null }>;
  /** One transaction: the account still exists, the opportunity, its events (and the idempotency record: a replay answers the first result). */
  create(opportunity: Opportunity, events: DomainEvent[], context: CommandContext): Promise<OpportunitySaveResult>;
  /** One transaction: the version is still `previous`'s, the new item, its events. */
  update(previous: Opportunity, next: Opportunity, events: DomainEvent[], context: CommandContext): Promise<OpportunitySaveResult>;
}
