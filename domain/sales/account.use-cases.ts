import { ConcurrentUpdateError, CustomerNotFoundError, StaleVersionError } from '../shared/errors.ts';
import type { Actor, Clock, CommandContext, IdGenerator } from '../shared/ports.ts';
import { AccountNotFoundError, checkParent, ContactNotFoundError, createAccount, DomainTakenError, patchAccount } from './account.ts';
import type { AccountRepository, AccountSaveResult, AccountTimelineReader, PageRequest } from './account.ports.ts';
import type { Account, AccountInput, AccountPatch, Contact, ContactInput } from './account.schema.ts';

export interface AccountDeps {
  readonly accounts: AccountRepository;
  readonly timeline: AccountTimelineReader;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

/** Contacts whose timelines one account timeline page merges; an account with more is refused nothing, it shows the first ones (by customer id). */
export const MAX_TIMELINE_CONTACTS = 50;

function saved(result: AccountSaveResult, domain: string | null): Account {
  if ('saved' in result) return result.saved;
  if (result.refused === 'chain-moved') throw new ConcurrentUpdateError();
  if (result.refused === 'domain-taken') throw new DomainTakenError(domain ?? '', result.ownerId);
  throw new ConcurrentUpdateError();
}

export function accountUseCases({ accounts, timeline, clock, ids }: AccountDeps) {
  async function load(id: string): Promise<Account> {
    const found = await accounts.get(id);
    if (!found) throw new AccountNotFoundError(id);
    return found;
  }

  return {
    /** flow: 1. the parent exists (a new account cannot close a loop) 2. one transaction: account, domain pointer, AccountCreated, idempotency record. */
    async create(input: AccountInput, actor: Actor, context: CommandContext): Promise<Account> {
      const id = ids.next();
      const ancestors = input.parentAccountId ? await checkParent(id, input.parentAccountId, accounts.parentOf) : [];
      const { account, events } = createAccount(input, { id, ownerId: actor.id, now: clock.now() });
      return saved(await accounts.save(account, undefined, events, context, ancestors), account.domain);
    },

    get: load,

    async list(query: PageRequest & { q?: string | undefined; tag?: string | undefined; domain?: string | undefined }) {
      if (query.domain !== undefined) {
        const found = await accounts.byDomain(query.domain);
        return { items: found && (!query.tag || found.tags.includes(query.tag)) ? [found] : [], nextCursor: null };
      }
      return accounts.list({ limit: query.limit, cursor: query.cursor, ...(query.q ? { prefix: query.q } : {}), ...(query.tag ? { tag: query.tag } : {}) });
    },

    /**
     * flow: 1. read, If-Match 2. a new parent: walk its chain (no loop, bounded depth) 3. one
     * conditional transaction that also checks every walked ancestor still has the parent the walk
     * saw: two concurrent re-parentings that would close a loop together conflict, and the loser
     * is 409 concurrent-update (its retry walks again and gets account-cycle).
     */
    async patch(id: string, patch: AccountPatch, ifMatch: number | undefined, context: CommandContext): Promise<Account> {
      const current = await load(id);
      if (ifMatch !== undefined && ifMatch !== current.version) throw new StaleVersionError(ifMatch, current.version);
      const next = patchAccount(current, patch, clock.now());
      const ancestors = next.parentAccountId && next.parentAccountId !== current.parentAccountId ? await checkParent(id, next.parentAccountId, accounts.parentOf) : [];
      const result = await accounts.save(next, current, [], context, ancestors);
      if ('refused' in result && result.refused === 'version-moved' && ifMatch !== undefined) throw new StaleVersionError(ifMatch);
      return saved(result, next.domain);
    },

    /** The account, its domain and its contact links go; the customers stay. */
    async remove(id: string, ifMatch: number | undefined): Promise<void> {
      const current = await load(id);
      if (ifMatch !== undefined && ifMatch !== current.version) throw new StaleVersionError(ifMatch, current.version);
      if (!(await accounts.remove(current))) throw ifMatch !== undefined ? new StaleVersionError(ifMatch) : new ConcurrentUpdateError();
    },

    /** Adds the customer to the account or changes their role (addedAt stays the first time). */
    async putContact(accountId: string, customerId: string, input: ContactInput): Promise<Contact> {
      await load(accountId);
      const existing = await accounts.contact(accountId, customerId);
      const contact: Contact = { accountId, customerId, role: input.role, addedAt: existing?.addedAt ?? clock.now().toISOString() };
      await accounts.putContact(contact);
      return contact;
    },

    async removeContact(accountId: string, customerId: string): Promise<void> {
      await load(accountId);
      if (!(await accounts.removeContact(accountId, customerId))) throw new ContactNotFoundError(accountId, customerId);
    },

    async contacts(accountId: string, page: PageRequest) {
      await load(accountId);
      return accounts.contacts(accountId, page);
    },

    async accountsOf(customerId: string, page: PageRequest) {
      const found = await accounts.accountsOf(customerId, page);
      if (!found) throw new CustomerNotFoundError(customerId);
      return found;
    },

    /** The first MAX_TIMELINE_CONTACTS contacts' timelines, merged newest first. */
    async timeline(accountId: string, page: PageRequest, hiddenKinds: readonly string[]) {
      await load(accountId);
      const customerIds = (await accounts.contactIds(accountId, MAX_TIMELINE_CONTACTS)).slice(0, MAX_TIMELINE_CONTACTS);
      return timeline.page({ accountId, customerIds, ...page, hiddenKinds });
    },
  };
}

export type AccountUseCases = ReturnType<typeof accountUseCases>;
