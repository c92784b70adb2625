import { BatchGetCommand, type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { CreateOutcome, CustomerQuery, CustomerRepository, Page } from '#domain/customers/customer.repository.ts';
import type { Customer } from '#domain/customers/customer.schema.ts';
import { ConcurrentUpdateError, EmailTakenError } from '#domain/shared/errors.ts';
import type { Clock, IdGenerator } from '#domain/shared/ports.ts';
import { TABLE } from '#infra/table.ts';
import { decodeCursor, encodeCursor } from '../shared/cursor.ts';
import { idempotencyPut, storedResult } from '../shared/idempotency.ts';
import { outboxPuts, type TransactItem } from '../shared/outbox.ts';
import { commit } from '../shared/transaction.ts';
import {
  ALL_CUSTOMERS,
  customerKey,
  emailKey,
  fromProfileItem,
  tagKey,
  tagPartition,
  toEmailItem,
  toProfileItem,
  toTagItem,
} from './customer.keys.ts';

const BY_CREATED = TABLE.indexes.customersByCreatedAt;
const NOT_EXISTS = 'attribute_not_exists(pk)';

export interface CustomerRepositoryConfig {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly ids: IdGenerator;
  readonly clock: Clock;
}

export function dynamoCustomerRepository({ client, tableName, ids, clock }: CustomerRepositoryConfig): CustomerRepository {
  const put = (Item: Record<string, unknown>, ConditionExpression?: string): TransactItem => ({
    Put: { TableName: tableName, Item, ...(ConditionExpression ? { ConditionExpression } : {}) },
  });
  const del = (Key: Record<string, unknown>): TransactItem => ({ Delete: { TableName: tableName, Key } });
  const versionIs = (version: number): Partial<NonNullable<TransactItem['Put']>> => ({
    ConditionExpression: 'version = :expected',
    ExpressionAttributeValues: { ':expected': version },
  });

  async function getById(id: string): Promise<Customer | undefined> {
    const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: customerKey(id), ConsistentRead: true }));
    return Item ? fromProfileItem(Item) : undefined;
  }

  async function batchGet(ids: string[]): Promise<Map<string, Customer>> {
    const found = new Map<string, Customer>();
    let keys: Record<string, unknown>[] = ids.map(customerKey);
    for (let attempt = 0; keys.length > 0 && attempt < 8; attempt++) {
      const out = await client.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: keys, ConsistentRead: true } } }));
      for (const item of out.Responses?.[tableName] ?? []) found.set(String(item.id), fromProfileItem(item));
      keys = (out.UnprocessedKeys?.[tableName]?.Keys as Record<string, unknown>[] | undefined) ?? [];
      if (keys.length) await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
    }
    if (keys.length) throw new Error('BatchGet left keys unprocessed after retries');
    return found;
  }

  async function listAll(limit: number, cursor: string | undefined): Promise<Page<Customer>> {
    const names = [TABLE.partitionKey, TABLE.sortKey, BY_CREATED.partitionKey, BY_CREATED.sortKey];
    const out = await client.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: BY_CREATED.name,
        KeyConditionExpression: '#pk = :all',
        ExpressionAttributeNames: { '#pk': BY_CREATED.partitionKey },
        ExpressionAttributeValues: { ':all': ALL_CUSTOMERS },
        ScanIndexForward: false,
        Limit: limit + 1, // one extra tells whether another page exists
        ...(cursor ? { ExclusiveStartKey: decodeCursor('all', cursor, names) } : {}),
      }),
    );
    const items = (out.Items ?? []).slice(0, limit);
    const last = items.at(-1);
    const more = (out.Items?.length ?? 0) > limit;
    return {
      items: items.map(fromProfileItem),
      nextCursor: more && last ? encodeCursor('all', Object.fromEntries(names.map((n) => [n, String(last[n])]))) : null,
    };
  }

  async function listByTag(tag: string, limit: number, cursor: string | undefined): Promise<Page<Customer>> {
    const query = `tag:${tag}`;
    const out = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': tagPartition(tag) },
        ScanIndexForward: false,
        ConsistentRead: true,
        Limit: limit + 1,
        ...(cursor ? { ExclusiveStartKey: decodeCursor(query, cursor, ['pk', 'sk']) } : {}),
      }),
    );
    const members = (out.Items ?? []).slice(0, limit);
    const found = members.length ? await batchGet(members.map((m) => String(m.customerId))) : new Map();
    const last = members.at(-1);
    return {
      items: members.map((m) => found.get(String(m.customerId))).filter((c): c is Customer => c !== undefined),
      nextCursor: (out.Items?.length ?? 0) > limit && last ? encodeCursor(query, { pk: String(last.pk), sk: String(last.sk) }) : null,
    };
  }

  return {
    get: getById,

    async findByEmail(email) {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: emailKey(email), ConsistentRead: true }));
      return Item ? getById(String(Item.customerId)) : undefined;
    },

    list({ tag, limit, cursor }: CustomerQuery) {
      return tag === undefined ? listAll(limit, cursor) : listByTag(tag, limit, cursor);
    },

    async create(customer, events, context): Promise<CreateOutcome> {
      const { idempotency } = context;
      const items: TransactItem[] = [
        ...(idempotency ? [idempotencyPut(tableName, idempotency, customer, clock.now())] : []),
        put(toProfileItem(customer), NOT_EXISTS),
        put(toEmailItem(customer), NOT_EXISTS),
        ...customer.tags.map((tag) => put(toTagItem(tag, customer))),
        ...outboxPuts(tableName, events, context, { ids, clock }),
      ];
      const failed = await commit(client, items);
      if (!failed) return { customer, replayed: false };
      if (idempotency && failed.has(0)) {
        const first = await storedResult<Customer>(client, tableName, idempotency);
        if (first) return { customer: first, replayed: true };
      }
      throw new EmailTakenError();
    },

    async update(previous, next, events, context) {
      const emailChanged = previous.email !== next.email;
      const removed = previous.tags.filter((t) => !next.tags.includes(t));
      const added = next.tags.filter((t) => !previous.tags.includes(t));
      const items: TransactItem[] = [
        { Put: { TableName: tableName, Item: toProfileItem(next), ...versionIs(previous.version) } },
        ...(emailChanged ? [put(toEmailItem(next), NOT_EXISTS), del(emailKey(previous.email))] : []),
        ...removed.map((tag) => del(tagKey(tag, previous))),
        ...added.map((tag) => put(toTagItem(tag, next))),
        ...outboxPuts(tableName, events, context, { ids, clock }),
      ];
      const failed = await commit(client, items);
      if (!failed) return;
      if (failed.has(0)) throw new ConcurrentUpdateError();
      throw new EmailTakenError();
    },

    async delete(customer, events, context) {
      const items: TransactItem[] = [
        { Delete: { TableName: tableName, Key: customerKey(customer.id), ...versionIs(customer.version) } },
        del(emailKey(customer.email)),
        ...customer.tags.map((tag) => del(tagKey(tag, customer))),
        ...outboxPuts(tableName, events, context, { ids, clock }),
      ];
      const failed = await commit(client, items);
      if (failed) throw new ConcurrentUpdateError();
    },
  };
}
