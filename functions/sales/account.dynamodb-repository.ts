import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { AccountRepository, Page } from '#domain/sales/account.ports.ts';
import { AccountNotFoundError, type Ancestor } from '#domain/sales/account.ts';
import type { CommandContext } from '#domain/shared/ports.ts';
import type { DomainEvent } from '#events/define-event.ts';
import type { Account, Contact } from '#domain/sales/account.schema.ts';
import { CustomerNotFoundError, UnknownCustomerError } from '#domain/shared/errors.ts';
import { TABLE } from '#infra/table.ts';
import { customerCheck, refusalFor } from '../customers/customer-guard.ts';
import { customerKey } from '../customers/customer.keys.ts';
import { type CursorKeyShape, decodeCursor, encodeCursor } from '../shared/cursor.ts';
import { type Db, del, events as eventPuts, NOT_EXISTS, put, queryPage } from '../shared/db.ts';
import { batchDelete, batchGet, queryAll } from '../shared/dynamo-batch.ts';
import { idempotencyItems, storedResult } from '../shared/idempotency.ts';
import type { TransactItem } from '../shared/outbox.ts';
import { commit } from '../shared/transaction.ts';
import {
  ACCOUNT_PREFIX,
  accountKey,
  ALL_ACCOUNTS,
  CONTACT_LINK_PREFIX,
  contactKey,
  contactsPartition,
  domainKey,
  fromAccountItem,
  fromContactItem,
  normalisedName,
  toAccountItem,
  toContactItem,
  toDomainItem,
} from './account.keys.ts';

const BY_NAME = TABLE.indexes.byCreatedAt;
const BY_ACCOUNT = TABLE.indexes.byCampaign;
/** Items evaluated per query while a tag-filtered listing fills its page. */
const FILTERED_READ = 100;
const DOMAIN_IS_OURS = 'attribute_not_exists(pk) OR accountId = :id';

/** An ancestor the walk read still has the parent it read (or is still not there). */
function ancestorCheck(tableName: string, ancestor: Ancestor): TransactItem {
  return 'missing' in ancestor
    ? { ConditionCheck: { TableName: tableName, Key: accountKey(ancestor.id), ConditionExpression: 'attribute_not_exists(pk)' } }
    : ancestor.parent === null
      ? { ConditionCheck: { TableName: tableName, Key: accountKey(ancestor.id), ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(parentId)' } }
      : { ConditionCheck: { TableName: tableName, Key: accountKey(ancestor.id), ConditionExpression: 'parentId = :p', ExpressionAttributeValues: { ':p': ancestor.parent } } };
}

/**
 * The account item and its domain pointer (taken, or released when the domain changes): the one
 * definition of an account write, for creations (no `previous`) and updates alike.
 */
export function accountWriteItems(db: Db, next: Account, previous?: Account): TransactItem[] {
  const items: TransactItem[] = [previous ? put(db, toAccountItem(next), 'version = :v', { ':v': previous.version }) : put(db, toAccountItem(next), NOT_EXISTS)];
  if (next.domain && next.domain !== previous?.domain) items.push(put(db, toDomainItem(next.domain, next.id), DOMAIN_IS_OURS, { ':id': next.id }));
  if (previous?.domain && previous.domain !== next.domain) items.push(del(db, domainKey(previous.domain), 'accountId = :id', { ':id': next.id }));
  return items;
}

/** A new account with its events (POST /accounts and a lead's conversion commit these). */
export function accountCreateItems(db: Db, account: Account, events: readonly DomainEvent[], context: CommandContext): TransactItem[] {
  return [...accountWriteItems(db, account), ...eventPuts(db, events, context)];
}

/** The accounts part's table adapter: accounts, domain pointers and contact links. */
export function dynamoAccountRepository(db: Db): AccountRepository {
  const { client, tableName } = db;

  async function get(id: string): Promise<Account | undefined> {
    const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: accountKey(id), ConsistentRead: true }));
    return Item ? fromAccountItem(Item) : undefined;
  }

  return {
    get,

    async parentOf(id) {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: accountKey(id), ConsistentRead: true, ProjectionExpression: '#d.parentAccountId', ExpressionAttributeNames: { '#d': 'data' } }));
      if (!Item) return undefined;
      return (Item.data as { parentAccountId?: string | null } | undefined)?.parentAccountId ?? null;
    },

    /**
     * By name (case-insensitive, A to Z) from the by-created-at index's ACCOUNTS partition: `prefix`
     * is one begins_with on the lowercased name. A tag is a FilterExpression on that partition (the
     * page is filled FILTERED_READ items a query), so a rare tag reads more of the partition.
     */
    async list({ limit, cursor, prefix = '', tag }) {
      const sortPrefix = normalisedName(prefix);
      const name = `accounts:${sortPrefix}:${tag ?? ''}`;
      const shape: CursorKeyShape = { pk: { startsWith: ACCOUNT_PREFIX }, sk: { is: 'ACCOUNT' }, [BY_NAME.partitionKey]: { is: ALL_ACCOUNTS }, [BY_NAME.sortKey]: { startsWith: sortPrefix } };
      const found: Record<string, unknown>[] = [];
      let startKey: Record<string, unknown> | undefined = cursor ? decodeCursor(name, cursor, shape) : undefined;
      do {
        const out = await client.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: BY_NAME.name,
            KeyConditionExpression: sortPrefix ? '#p = :p AND begins_with(#s, :s)' : '#p = :p',
            ExpressionAttributeNames: { '#p': BY_NAME.partitionKey, ...(sortPrefix ? { '#s': BY_NAME.sortKey } : {}), ...(tag ? { '#d': 'data', '#t': 'tags' } : {}) },
            ExpressionAttributeValues: { ':p': ALL_ACCOUNTS, ...(sortPrefix ? { ':s': sortPrefix } : {}), ...(tag ? { ':t': tag } : {}) },
            ...(tag ? { FilterExpression: 'contains(#d.#t, :t)' } : {}),
            Limit: tag ? FILTERED_READ : limit + 1 - found.length,
            ...(startKey ? { ExclusiveStartKey: startKey } : {}),
          }),
        );
        found.push(...(out.Items ?? []));
        startKey = out.LastEvaluatedKey;
      } while (found.length <= limit && startKey);
      const items = found.slice(0, limit);
      const last = items.at(-1);
      const more = found.length > limit || startKey !== undefined;
      return { items: items.map(fromAccountItem), nextCursor: more && last ? encodeCursor(name, Object.fromEntries(Object.keys(shape).map((k) => [k, String(last[k])]))) : null };
    },

    async byDomain(domain) {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: domainKey(domain), ConsistentRead: true }));
      return Item ? get(String(Item.accountId)) : undefined;
    },

    async save(next, previous, events, context, ancestors = []) {
      const items = accountWriteItems(db, next, previous);
      // accountWriteItems puts the domain pointer right after the account item when it takes one.
      const domainAt = next.domain && next.domain !== previous?.domain ? 1 : -1;
      const chainAt = items.length;
      items.push(...ancestors.map((ancestor) => ancestorCheck(tableName, ancestor)));
      const claim = previous ? undefined : context.idempotency;
      const once = claim ? idempotencyItems(tableName, claim, next, db.clock.now()) : [];
      const failed = await commit(client, [...once, ...items, ...eventPuts(db, events, context)]);
      if (!failed) return { saved: next, replayed: false };
      if (claim && failed.has(0)) {
        const first = await storedResult<Account>(client, tableName, claim);
        if (first) return { saved: first, replayed: true };
      }
      if (domainAt >= 0 && failed.has(once.length + domainAt) && next.domain) {
        const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: domainKey(next.domain), ConsistentRead: true }));
        if (Item && Item.accountId !== next.id) return { refused: 'domain-taken', ownerId: String(Item.accountId) };
      }
      if (ancestors.some((_, i) => failed.has(once.length + chainAt + i))) return { refused: 'chain-moved' };
      return { refused: 'version-moved' };
    },

    /**
     * The account and its domain pointer go in one transaction; then its contact links (found on the
     * by-campaign index, eventually consistent: a link added in the same instant may stay behind, and
     * the customer's listing skips links whose account is gone). Customers are never touched.
     */
    async remove(previous) {
      const failed = await commit(client, [
        del(db, accountKey(previous.id), 'version = :v', { ':v': previous.version }),
        ...(previous.domain ? [del(db, domainKey(previous.domain), 'accountId = :id', { ':id': previous.id })] : []),
      ]);
      if (failed) return false;
      const links: Record<string, unknown>[] = [];
      for await (const page of queryAll(client, {
        TableName: tableName,
        IndexName: BY_ACCOUNT.name,
        KeyConditionExpression: '#p = :p',
        ExpressionAttributeNames: { '#p': BY_ACCOUNT.partitionKey },
        ExpressionAttributeValues: { ':p': contactsPartition(previous.id) },
        ProjectionExpression: 'pk, sk',
      })) {
        links.push(...page);
      }
      await batchDelete(client, tableName, links);
      return true;
    },

    /** One transaction: the account still exists, the customer may take personal data (the erasure guard), the link. */
    async putContact(contact) {
      const failed = await commit(client, [
        { ConditionCheck: { TableName: tableName, Key: accountKey(contact.accountId), ConditionExpression: 'attribute_exists(pk)' } },
        customerCheck(db, contact.customerId),
        put(db, toContactItem(contact)),
      ]);
      if (!failed) return;
      if (failed.has(0)) throw new AccountNotFoundError(contact.accountId);
      const refusal = await refusalFor(db, contact.customerId);
      throw refusal instanceof CustomerNotFoundError ? new UnknownCustomerError(contact.customerId) : refusal;
    },

    async contact(accountId, customerId) {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: contactKey(accountId, customerId), ConsistentRead: true }));
      return Item ? fromContactItem(Item) : undefined;
    },

    async removeContact(accountId, customerId) {
      const failed = await commit(client, [del(db, contactKey(accountId, customerId), 'attribute_exists(pk)')]);
      return !failed;
    },

    async contacts(accountId, { limit, cursor }): Promise<Page<Contact>> {
      const page = await queryPage(db, {
        name: `account-contacts:${accountId}`,
        index: BY_ACCOUNT,
        partition: contactsPartition(accountId),
        itemKey: { pk: { startsWith: 'CUSTOMER#' }, sk: { is: `${CONTACT_LINK_PREFIX}${accountId}` } },
        limit,
        cursor,
        ascending: true,
      });
      return { items: page.items.map(fromContactItem), nextCursor: page.nextCursor };
    },

    async contactIds(accountId, max) {
      const out = await client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: BY_ACCOUNT.name,
          KeyConditionExpression: '#p = :p',
          ExpressionAttributeNames: { '#p': BY_ACCOUNT.partitionKey, '#s': BY_ACCOUNT.sortKey },
          ExpressionAttributeValues: { ':p': contactsPartition(accountId) },
          ProjectionExpression: '#s',
          Limit: max + 1,
        }),
      );
      return (out.Items ?? []).map((item) => String(item[BY_ACCOUNT.sortKey]));
    },

    /** The links in the person's own partition (consistent), with their accounts; a link whose account is gone is skipped. */
    async accountsOf(customerId, { limit, cursor }) {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: customerKey(customerId), ConsistentRead: true, ProjectionExpression: 'pk, erasingSince' }));
      if (!Item || Item.erasingSince) return undefined;
      const page = await queryPage(db, { name: `customer-accounts:${customerId}`, partition: String(Item.pk), sortPrefix: CONTACT_LINK_PREFIX, limit, cursor, consistentRead: true, ascending: true });
      const links = page.items.map(fromContactItem);
      const accounts = new Map((await batchGet(client, tableName, links.map((l) => accountKey(l.accountId)))).map((item) => [fromAccountItem(item).id, fromAccountItem(item)]));
      const items = links.flatMap((link) => {
        const account = accounts.get(link.accountId);
        return account ? [{ account, role: link.role, addedAt: link.addedAt }] : [];
      });
      return { items, nextCursor: page.nextCursor };
    },
  };
}
