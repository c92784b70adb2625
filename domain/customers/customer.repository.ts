import type { DomainEvent } from '#events/define-event.ts';
import type { CommandContext, IdempotencyClaim } from '../shared/ports.ts';
import type { Customer } from './customer.schema.ts';
import type { Identity, IdentityInput, IdentityType } from './identity.ts';
import type { Channel, Interaction, TimelineKind } from './interaction.schema.ts';
import type { CustomerStats } from './stats.ts';

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

export interface TimelineQuery {
  readonly limit: number;
  readonly cursor?: string;
  readonly channel?: Channel;
  readonly type?: string;
  /** Entries the reader may not see (another context's data its role may not read); left out of the page. */
  readonly hiddenKinds?: readonly TimelineKind[];
}

export interface CreateOutcome {
  readonly customer: Customer;
  /** True when an Idempotency-Key retry returned the first call's result. */
  readonly replayed: boolean;
}

/** How a batch item names its person. */
export type PersonRef = { readonly kind: 'id' | IdentityType; readonly value: string };
export const personKey = (ref: PersonRef) => `${ref.kind}:${ref.value}`;

/** A customer's stats move from `previous` (read at `customer.statsRevision`) to `stats`. */
export interface StatsChange {
  readonly customer: Customer;
  readonly stats: CustomerStats;
}

/** An idempotency claim and what to answer its retries with. */
export interface Once {
  readonly claim: IdempotencyClaim;
  readonly result: unknown;
}

/** A person's membership of a B2B account (the sales context's contact link). */
export interface AccountMembership {
  readonly accountId: string;
  readonly name: string;
  readonly role: string;
  readonly addedAt: string;
}

/** A sales lead about the person (the sales context's lead, without its internal assignment fields). */
export interface LeadRecord {
  readonly id: string;
  readonly email: string;
  readonly firstName: string | null;
  readonly lastName: string | null;
  readonly company: string | null;
  readonly source: string;
  readonly campaignId: string | null;
  readonly notes: string | null;
  readonly status: string;
  readonly captures: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface CustomerExport {
  readonly identities: Identity[];
  /** The whole timeline: interactions, and the customer's cases and public case comments. */
  readonly interactions: Interaction[];
  /**
   * Sales data about the person: the accounts they are a contact of, the skus they own, and their
   * leads (linked to them or to a profile merged into them, or entered under one of their email
   * addresses before they became a customer), oldest first.
   */
  readonly accounts: AccountMembership[];
  readonly ownedProducts: string[];
  readonly leads: LeadRecord[];
}

/**
 * Persistence port for customers. Every write commits the state change and its events together
 * (transactional outbox), so a write never happens without its event or the other way round.
 */
export interface CustomerRepository {
  /** Active and merged customers; erased ones are gone. */
  get(id: string): Promise<Customer | undefined>;
  findByIdentity(type: IdentityType, value: string): Promise<Customer | undefined>;
  list(query: CustomerQuery): Promise<Page<Customer>>;
  /** Throws EmailTakenError, IdempotencyKeyReusedError. */
  create(customer: Customer, events: DomainEvent[], context: CommandContext): Promise<CreateOutcome>;
  /** Writes the mutable fields if the stored version is still `previous.version`; else ConcurrentUpdateError. */
  update(previous: Customer, next: Customer, events: DomainEvent[], context: CommandContext): Promise<void>;

  identitiesOf(customerId: string): Promise<Identity[]>;
  /** Throws IdentityTakenError when another customer owns it; linking one's own again is a no-op. */
  linkIdentity(customer: Customer, identity: IdentityInput, events: DomainEvent[], context: CommandContext): Promise<{ identity: Identity; created: boolean }>;

  /** Current customers for the refs (merged ones followed to their target); undefined = nobody. */
  resolve(refs: readonly PersonRef[]): Promise<Map<string, Customer | undefined>>;
  /**
   * Stores interactions and the stats changes they cause in one transaction; throws
   * ConcurrentUpdateError when a stats revision moved (the caller re-reads and retries), and the
   * named refusal (CustomerBeingErasedError, CustomerMergedError, ...) when a customer is gone.
   * With `once`, its claim and the result to answer retries with are recorded in the same
   * transaction; when the claim was used before, nothing is saved and the first call's result
   * comes back (IdempotencyKeyReusedError if it came with another request). `events` commit in
   * the same transaction (one outbox record for all of them: a batch has no room for one each).
   */
  saveInteractions(
    interactions: readonly Interaction[],
    changes: readonly StatsChange[],
    events: readonly DomainEvent[],
    context: CommandContext,
    once?: Once,
  ): Promise<{ replayed: unknown } | undefined>;
  timeline(customerId: string, query: TimelineQuery): Promise<Page<Interaction>>;
  /** Moves interactions recorded under an anonymous id onto the customer (and into its stats). */
  adoptAnonymous(anonymousId: string, customerId: string): Promise<number>;

  /** Re-points every identity of `sourceId` to `targetId`. Idempotent. Refused once the target is being erased. */
  moveIdentities(sourceId: string, targetId: string): Promise<void>;
  /** Commits the merged target, the source's tombstone and the target's record of having absorbed it, together. */
  completeMerge(before: { target: Customer; source: Customer }, after: { target: Customer; source: Customer }, events: DomainEvent[], context: CommandContext): Promise<void>;
  /** Moves timeline entries from source to target. Idempotent. Refused once the target is being erased. */
  moveTimeline(sourceId: string, targetId: string): Promise<void>;

  exportData(customerId: string): Promise<CustomerExport>;
  /**
   * Erases every item holding the person's data, in this customer's partitions and in those of
   * every profile ever merged into it (their stubs included); keeps an anonymous erasure record
   * with the aggregate stats; commits the events `eventsFor(mergedFrom ids, case ids its timeline named)`. Once erasure began,
   * the customer refuses every write (CustomerBeingErasedError). Idempotent after the first step.
   */
  erase(customer: Customer, eventsFor: (mergedFrom: readonly string[], caseIds: readonly string[]) => DomainEvent[], context: CommandContext): Promise<void>;
}
