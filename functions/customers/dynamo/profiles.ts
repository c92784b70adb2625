import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { CreateOutcome, CustomerQuery, CustomerRepository, Page } from '#domain/customers/customer.repository.ts';
import type { Customer } from '#domain/customers/customer.schema.ts';
import type { IdentityType } from '#domain/customers/identity.ts';
import type { CommandContext } from '#domain/shared/ports.ts';
import type { DomainEvent } from '#events/define-event.ts';
import { ConcurrentUpdateError, EmailTakenError } from '#domain/shared/errors.ts';
import { NULLABLE_FIELDS } from '#domain/customers/customer.schema.ts';
import { TABLE } from '#infra/table.ts';
import { batchGet } from '../../shared/dynamo-batch.ts';
import { idempotencyItems, storedResult } from '../../shared/idempotency.ts';
import type { TransactItem } from '../../shared/outbox.ts';
import { commit } from '../../shared/transaction.ts';
import {
  ALL_CUSTOMERS,
  customerIdentityKey,
  customerKey,
  customerPartition,
  fromProfileItem,
  identityKey,
  refKey,
  tagKey,
  tagPartition,
  toCustomerIdentityItem,
  toIdentityOwnerItem,
  toProfileItem,
  toTagItem,
} from '../customer.keys.ts';
import { type Db, del, events, NOT_EXISTS, put, queryPage, update, WRITABLE } from '../../shared/db.ts';
import { refusalFor } from '../customer-guard.ts';

const BY_CREATED = TABLE.indexes.byCreatedAt;
const PROFILE_KEY = { pk: { startsWith: customerPartition('') }, sk: { is: customerKey('').sk } };

/**
 * The items that create a customer: the profile, its email identity (owner pointer, conditional:
 * the email is free) and its by-customer row, its tags, its events. The one definition of a
 * customer's creation: POST /customers and a lead's conversion both commit these.
 */
export function customerCreateItems(db: Db, customer: Customer, list: readonly DomainEvent[], context: CommandContext): TransactItem[] {
  return [
    put(db, toProfileItem(customer), NOT_EXISTS),
    put(db, toIdentityOwnerItem('email', customer.email, customer.id, customer.createdAt), NOT_EXISTS),
    put(db, toCustomerIdentityItem('email', customer.email, customer.id, customer.createdAt)),
    ...customer.tags.map((tag) => put(db, toTagItem(tag, customer))),
    ...events(db, list, context),
  ];
}

export function profiles(db: Db): Pick<CustomerRepository, 'get' | 'findByIdentity' | 'list' | 'create' | 'update'> {
  const { client, tableName } = db;

  async function get(id: string): Promise<Customer | undefined> {
    const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: customerKey(id), ConsistentRead: true }));
    return Item ? fromProfileItem(Item) : undefined;
  }

  async function listAll(limit: number, cursor: string | undefined): Promise<Page<Customer>> {
    const page = await queryPage(db, { name: 'all', index: BY_CREATED, partition: ALL_CUSTOMERS, itemKey: PROFILE_KEY, limit, cursor });
    return { items: page.items.map(fromProfileItem), nextCursor: page.nextCursor };
  }

  async function listByTag(tag: string, limit: number, cursor: string | undefined): Promise<Page<Customer>> {
    const page = await queryPage(db, { name: `tag:${tag}`, partition: tagPartition(tag), limit, cursor, consistentRead: true });
    const found = new Map(
      (page.items.length ? await batchGet(client, tableName, page.items.map((m) => customerKey(String(m.customerId)))) : [])
        .map(fromProfileItem)
        .filter((c) => !c.mergedInto)
        .map((c) => [c.id, c]),
    );
    return {
      items: page.items.map((m) => found.get(String(m.customerId))).filter((c): c is Customer => c !== undefined),
      nextCursor: page.nextCursor,
    };
  }

  return {
    get,

    async findByIdentity(type: IdentityType, value: string) {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: identityKey(type, value), ConsistentRead: true }));
      return Item ? get(String(Item.customerId)) : undefined;
    },

    list({ tag, limit, cursor }: CustomerQuery) {
      return tag === undefined ? listAll(limit, cursor) : listByTag(tag, limit, cursor);
    },

    async create(customer, list, context): Promise<CreateOutcome> {
      const { idempotency } = context;
      const items: TransactItem[] = [
        ...(idempotency ? idempotencyItems(tableName, idempotency, customer, db.clock.now(), (record) => [refKey(customer.id, record)]) : []),
        ...customerCreateItems(db, customer, list, context),
      ];
      const failed = await commit(client, items);
      if (!failed) return { customer, replayed: false };
      if (idempotency && failed.has(0)) {
        const first = await storedResult<Customer>(client, tableName, idempotency);
        if (first) return { customer: first, replayed: true };
      }
      throw new EmailTakenError();
    },

    async update(previous, next, list, context) {
      const emailChanged = previous.email !== next.email;
      const removed = previous.tags.filter((t) => !next.tags.includes(t));
      const added = next.tags.filter((t) => !previous.tags.includes(t));
      const fields = Object.fromEntries(NULLABLE_FIELDS.map((f) => [f, next[f]]));
      const items: TransactItem[] = [
        update(
          db,
          customerKey(next.id),
          { ...fields, email: next.email, attributes: next.attributes, tags: next.tags, updatedAt: next.updatedAt, version: next.version },
          { expression: `${WRITABLE} AND version = :expected`, values: { ':expected': previous.version } },
        ),
        ...(emailChanged
          ? [
              put(db, toIdentityOwnerItem('email', next.email, next.id, next.updatedAt), `${NOT_EXISTS} OR customerId = :me`, { ':me': next.id }),
              put(db, toCustomerIdentityItem('email', next.email, next.id, next.updatedAt)),
              del(db, identityKey('email', previous.email)),
              del(db, customerIdentityKey(previous.id, 'email', previous.email)),
            ]
          : []),
        ...removed.map((tag) => del(db, tagKey(tag, previous))),
        ...added.map((tag) => put(db, toTagItem(tag, next))),
        ...events(db, list, context),
      ];
      const failed = await commit(client, items);
      if (!failed) return;
      if (failed.has(0)) throw await refusalFor(db, next.id); // a moved version is a race (ConcurrentUpdateError); erasure or merge is not
      throw new EmailTakenError();
    },
  };
}
