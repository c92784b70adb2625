import type { DomainEvent } from '#events/define-event.ts';
import type { CommandContext } from '../shared/ports.ts';
import type { Customer } from './customer.schema.ts';

export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}

export interface CustomerQuery {
  readonly tag?: string;
  readonly limit: number;
  /** Opaque cursor from a previous page; the repository rejects one it did not issue. */
  readonly cursor?: string;
}

export interface CreateOutcome {
  readonly customer: Customer;
  /** True when an Idempotency-Key retry returned the first call's result. */
  readonly replayed: boolean;
}

/**
 * Persistence port for customers. Every write commits the state change and its events together
 * (transactional outbox), so a write never happens without its event or the other way round.
 */
export interface CustomerRepository {
  get(id: string): Promise<Customer | undefined>;
  findByEmail(email: string): Promise<Customer | undefined>;
  list(query: CustomerQuery): Promise<Page<Customer>>;
  /** Throws EmailTakenError, IdempotencyKeyReusedError. */
  create(customer: Customer, events: DomainEvent[], context: CommandContext): Promise<CreateOutcome>;
  /** Commits only if the stored version is still `previous.version`; else ConcurrentUpdateError. */
  update(previous: Customer, next: Customer, events: DomainEvent[], context: CommandContext): Promise<void>;
  /** Commits only if the stored version is still `customer.version`; else ConcurrentUpdateError. */
  delete(customer: Customer, events: DomainEvent[], context: CommandContext): Promise<void>;
}
