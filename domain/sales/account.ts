import { AccountCreated } from '#events/account-created.event.ts';
import type { DomainEvent } from '#events/define-event.ts';
import { mergeAttributes } from '../customers/customer.ts';
import { ConflictError, NotFoundError, UnprocessableError } from '../shared/errors.ts';
import type { Account, AccountInput, AccountPatch } from './account.schema.ts';

// Accounts' rules (pure): creation, JSON merge patch, and the parent chain that never loops.

/** Ancestors walked when a parent is set; a deeper hierarchy is refused like a loop (it is almost always one in the making). */
export const MAX_ACCOUNT_DEPTH = 10;

export class AccountNotFoundError extends NotFoundError {
  constructor(id: string) {
    super(`No account with id ${id}.`);
  }
}

export class ContactNotFoundError extends NotFoundError {
  constructor(accountId: string, customerId: string) {
    super(`Customer ${customerId} is not a contact of account ${accountId}.`);
  }
}

export class AccountCycleError extends ConflictError {
  override readonly code = 'account-cycle';
  constructor(detail: string) {
    super(detail);
  }
}

export class DomainTakenError extends ConflictError {
  override readonly code = 'domain-taken';
  constructor(domain: string, ownerId: string) {
    super(`The domain ${domain} belongs to account ${ownerId}; a domain names one account.`);
  }
}

export class UnknownAccountError extends UnprocessableError {
  override readonly code = 'unknown-account';
  constructor(id: string) {
    super(`No account with id ${id} (parentAccountId).`);
  }
}

export function createAccount(input: AccountInput, { id, ownerId, now }: { id: string; ownerId: string; now: Date }): { account: Account; events: DomainEvent[] } {
  const at = now.toISOString();
  const account: Account = {
    id,
    name: input.name,
    domain: input.domain ?? null,
    industry: input.industry ?? null,
    size: input.size ?? null,
    tags: input.tags ?? [],
    attributes: input.attributes ?? {},
    parentAccountId: input.parentAccountId ?? null,
    ownerId: input.ownerId ?? ownerId,
    type: input.type ?? 'customer',
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
  return { account, events: [AccountCreated.of({ accountId: id, ownerId: account.ownerId })] };
}

/** RFC 7396 on an account: null clears, attributes merge key by key (null removes one), tags replace. */
export function patchAccount(current: Account, patch: AccountPatch, now: Date): Account {
  const next: Account = { ...current };
  if (patch.name !== undefined) next.name = patch.name;
  if (patch.domain !== undefined) next.domain = patch.domain;
  if (patch.industry !== undefined) next.industry = patch.industry;
  if (patch.size !== undefined) next.size = patch.size;
  if (patch.tags !== undefined) next.tags = patch.tags ?? [];
  if (patch.attributes === null) next.attributes = {};
  else if (patch.attributes !== undefined) next.attributes = mergeAttributes(current.attributes, patch.attributes);
  if (patch.parentAccountId !== undefined) next.parentAccountId = patch.parentAccountId;
  if (patch.ownerId !== undefined) next.ownerId = patch.ownerId;
  if (patch.type !== undefined) next.type = patch.type;
  return { ...next, updatedAt: now.toISOString(), version: current.version + 1 };
}

/** An account on the walked chain and the parent it had then (`missing`: it was not there); the write checks they still hold. */
export type Ancestor = { readonly id: string; readonly parent: string | null } | { readonly id: string; readonly missing: true };

/**
 * Whether `accountId` may hang under `parentId`: `parentOf` answers an account's parent id (null at
 * the top), or undefined for an account that does not exist. The chain is walked upwards from the
 * parent; meeting `accountId` on the way is a loop (409), an unknown parent is 422, and a chain
 * longer than MAX_ACCOUNT_DEPTH is refused as a loop too. Answers the chain as it was read, so that
 * the write can check (in its transaction) that nobody re-parented any of it meanwhile.
 */
export async function checkParent(accountId: string, parentId: string, parentOf: (id: string) => Promise<string | null | undefined>): Promise<Ancestor[]> {
  if (parentId === accountId) throw new AccountCycleError('An account cannot be its own parent.');
  const first = await parentOf(parentId);
  if (first === undefined) throw new UnknownAccountError(parentId);
  const chain: Ancestor[] = [{ id: parentId, parent: first }];
  let next: string | null = first;
  for (let depth = 1; next !== null; depth++) {
    if (next === accountId) throw new AccountCycleError(`Account ${parentId} is below ${accountId}; the parent chain would loop.`);
    if (depth >= MAX_ACCOUNT_DEPTH) throw new AccountCycleError(`The parent chain is deeper than ${MAX_ACCOUNT_DEPTH} accounts.`);
    const id: string = next;
    const parent = await parentOf(id);
    chain.push(parent === undefined ? { id, missing: true } : { id, parent });
    next = parent ?? null;
  }
  return chain;
}
