import type { DomainEvent } from '#events/define-event.ts';
import type { CommandContext } from '../shared/ports.ts';
import type { Interaction } from '../customers/interaction.schema.ts';
import type { Account, Contact, CustomerAccount } from './account.schema.ts';
import type { Ancestor } from './account.ts';

// What the accounts use cases need from storage (functions/sales/account.dynamodb-repository.ts on
// the table).

export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}

export interface PageRequest {
  readonly limit: number;
  readonly cursor?: string | undefined;
}

/** Why a save did not commit: the version moved, the domain is another account's, or the idempotency record answered. */
export type AccountSaveResult = { saved: Account; replayed: boolean } | { refused: 'version-moved' } | { refused: 'chain-moved' } | { refused: 'domain-taken'; ownerId: string };

export interface AccountRepository {
  get(id: string): Promise<Account | undefined>;
  /** An account's parent id (null at the top), undefined when it does not exist. */
  parentOf(id: string): Promise<string | null | undefined>;
  /** By name prefix (case-insensitive) or all, by name; `tag` keeps those with the tag. */
  list(query: PageRequest & { prefix?: string; tag?: string }): Promise<Page<Account>>;
  byDomain(domain: string): Promise<Account | undefined>;
  /**
   * `previous` absent: a creation (idempotent under context.idempotency). `ancestors`: the parent
   * chain as checkParent read it; the write commits only if every one of them is still as read.
   */
  save(next: Account, previous: Account | undefined, events: DomainEvent[], context: CommandContext, ancestors?: readonly Ancestor[]): Promise<AccountSaveResult>;
  /** Deletes the account, its domain pointer and then its contact links; false when the version moved. */
  remove(previous: Account): Promise<boolean>;
  /** The link, or a named refusal: the account is gone, or the customer cannot take it (the guard's error). */
  putContact(contact: Contact): Promise<void>;
  contact(accountId: string, customerId: string): Promise<Contact | undefined>;
  removeContact(accountId: string, customerId: string): Promise<boolean>;
  contacts(accountId: string, page: PageRequest): Promise<Page<Contact>>;
  /** Every contact's customer id (at most `max` + 1, so a caller can tell there are more). */
  contactIds(accountId: string, max: number): Promise<string[]>;
  /** The customer's accounts, or undefined when the customer does not exist (any more). */
  accountsOf(customerId: string, page: PageRequest): Promise<Page<CustomerAccount> | undefined>;
}

/** The contacts' timelines merged newest first (functions/sales/account-timeline.dynamodb.ts). */
export interface AccountTimelineReader {
  page(query: { accountId: string; customerIds: readonly string[]; limit: number; cursor?: string | undefined; hiddenKinds: readonly string[] }): Promise<Page<Interaction>>;
}
