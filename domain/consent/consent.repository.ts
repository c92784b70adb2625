import type { DomainEvent } from '#events/define-event.ts';
import type { Page } from '../customers/customer.repository.ts';
import type { CommandContext } from '../shared/ports.ts';
import type { ConsentState, LedgerEntry, Suppression, Topic, TopicState } from './consent.schema.ts';

/** What the consent context reads of a customer (it never writes profiles). */
export interface Recipient {
  readonly id: string;
  readonly email: string;
  readonly firstName: string | null;
  readonly lastName: string | null;
}

export interface Delivery {
  readonly id: string;
  readonly customerId: string | null;
  readonly at: string;
  readonly kind: 'service' | 'marketing';
  readonly topic: string | null;
  readonly subject: string;
  readonly outcome: 'sent' | 'blocked';
  readonly reason: string | null;
  readonly messageId: string | null;
}

export interface ConsentRepository {
  topics(): Promise<Topic[]>;
  putTopics(topics: readonly Topic[]): Promise<void>;
  /** The customer as a recipient; `erased` when only an erasure record is left or erasure has begun. */
  recipient(customerId: string): Promise<Recipient | 'erased' | undefined>;
  customerIdByEmail(email: string): Promise<string | undefined>;
  states(customerId: string): Promise<TopicState[]>;
  ledger(customerId: string): Promise<LedgerEntry[]>;
  /**
   * Appends ledger entries and sets topic states in one transaction with the events (and the
   * customer's timeline entries). `expected` guards each topic's state against concurrent change
   * (ConcurrentUpdateError). A customer who is erased, being erased or merged away refuses it with
   * the named error (CustomerErasedError, CustomerBeingErasedError, CustomerMergedError, CustomerNotFoundError).
   */
  append(entries: readonly LedgerEntry[], states: readonly { customerId: string; topic: string; state: ConsentState; at: string; expected: ConsentState }[], events: DomainEvent[], context: CommandContext): Promise<void>;
  suppression(email: string): Promise<Suppression | undefined>;
  suppress(suppression: Suppression, events: DomainEvent[], context: CommandContext): Promise<boolean>;
  unsuppress(email: string): Promise<boolean>;
  suppressions(query: { limit: number; cursor?: string }): Promise<Page<Suppression>>;
  /**
   * Records the delivery with the customer; one who is gone (erased, being erased, merged away) gets
   * no record, the events still go out. With `onceKey`, a second record under the same key changes
   * nothing (a retried send is recorded once).
   */
  recordDelivery(delivery: Delivery, events: DomainEvent[], context: CommandContext, onceKey?: string): Promise<void>;
  /** After erasure: ledger entries keep topic, action, time, legal basis and proof; lose ip and user agent. */
  anonymize(customerId: string): Promise<number>;
}
