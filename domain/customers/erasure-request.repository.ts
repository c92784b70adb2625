import type { DomainEvent } from '#events/define-event.ts';
import type { CommandContext } from '../shared/ports.ts';
import type { Page } from './customer.repository.ts';
import type { ErasureRequest } from './me.schema.ts';

export interface ErasureRequestQuery {
  readonly limit: number;
  /** Opaque cursor from a previous page; the repository rejects one it did not issue. */
  readonly cursor?: string;
}

/**
 * Persistence port for erasure requests: one per person, in the person's own partition (the
 * erasure removes it with everything else).
 */
export interface ErasureRequestRepository {
  get(customerId: string): Promise<ErasureRequest | undefined>;
  /**
   * Writes `next` and its events in one transaction with the erasure guard, if the stored request
   * is still `previous` (none: there is none); else ConcurrentUpdateError. A customer gone or being
   * erased is refused with its named error (CustomerBeingErasedError, CustomerNotFoundError, ...).
   */
  save(previous: ErasureRequest | undefined, next: ErasureRequest, events: readonly DomainEvent[], context: CommandContext): Promise<void>;
  /** pending -> done, if `request` is still the stored pending one; else ConcurrentUpdateError. */
  begin(request: ErasureRequest, next: ErasureRequest): Promise<void>;
  /** Pending requests, soonest run first. */
  listPending(query: ErasureRequestQuery): Promise<Page<ErasureRequest>>;
}
