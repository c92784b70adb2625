import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type CustomerRepository, type PersonRef, personKey } from '#domain/customers/customer.repository.ts';
import type { Customer } from '#domain/customers/customer.schema.ts';
import type { IdentityType } from '#domain/customers/identity.ts';
import { type CustomerStats, statsIncrement, withInteraction } from '#domain/customers/stats.ts';
import { ConcurrentUpdateError } from '#domain/shared/errors.ts';
import { decodeCursor, encodeCursor } from '../../shared/cursor.ts';
import { batchGet } from '../../shared/dynamo-batch.ts';
import { idempotencyItems, storedResult } from '../../shared/idempotency.ts';
import { log } from '../../shared/log.ts';
import { outboxBundlePut, type TransactItem } from '../../shared/outbox.ts';
import { commit, type FailedConditions } from '../../shared/transaction.ts';
import {
  anonymousPartition,
  customerKey,
  customerPartition,
  fromInteractionItem,
  fromProfileItem,
  identityKey,
  refKey,
  TIMELINE_PREFIX,
  toInteractionItem,
} from '../customer.keys.ts';
import { type Db, del, put, update, WRITABLE } from '../../shared/db.ts';
import { customerCheck, refusalFor } from '../customer-guard.ts';

const MOVES_PER_TRANSACTION = 45; // 2 items each, plus one stats update or the target's check
const MAX_MERGE_HOPS = 5;

export function timeline(db: Db): Pick<CustomerRepository, 'resolve' | 'saveInteractions' | 'timeline' | 'adoptAnonymous' | 'moveTimeline'> {
  const { client, tableName } = db;

  const statsUpdate = (customer: Customer, stats: CustomerStats): TransactItem =>
    update(db, customerKey(customer.id), { stats, statsRevision: customer.statsRevision + 1 }, {
      expression: `${WRITABLE} AND statsRevision = :revision`,
      values: { ':revision': customer.statsRevision },
    });

  /**
   * A batch's stats as increments (ingestion): counters and amounts only add, so concurrent
   * batches into one customer commit side by side instead of one re-reading and retrying. No
   * revision condition, but the revision still moves, so the writers that replace stats whole
   * (merge, adoption) notice and retry. The newest interaction is a maximum, not a sum: `latest`.
   */
  function statsAdd(customer: Customer, stats: CustomerStats): TransactItem {
    const add = statsIncrement(customer.stats, stats);
    const names: Record<string, string> = { '#s': 'stats' };
    const values: Record<string, unknown> = { ':zero': 0, ':one': 1 };
    const sets: string[] = [];
    const counter = (path: string[], amount: number) => {
      if (amount === 0) return;
      const ref = ['#s', ...path.map((part) => {
        const name = `#n${Object.keys(names).length}`;
        names[name] = part;
        return name;
      })].join('.');
      const value = `:v${sets.length}`;
      values[value] = amount;
      sets.push(`${ref} = if_not_exists(${ref}, :zero) + ${value}`);
    };
    counter(['interactionCount'], add.interactionCount);
    counter(['purchaseCount'], add.purchaseCount);
    for (const [currency, amount] of Object.entries(add.totalSpent)) counter(['totalSpent', currency], amount);
    for (const [channel, count] of Object.entries(add.byChannel)) counter(['byChannel', channel], count);
    return {
      Update: {
        TableName: tableName,
        Key: customerKey(customer.id),
        UpdateExpression: `${sets.length ? `SET ${sets.join(', ')} ` : ''}ADD statsRevision :one`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ConditionExpression: WRITABLE,
      },
    };
  }

  /**
   * After the increments committed: the newest interaction where it is newer than what the profile
   * holds (a conditional write that loses only to a newer one, so racing batches end on the
   * maximum). Outside the transaction because DynamoDB takes one write per item there; if it fails
   * the interactions are saved anyway and the next one moves it on, so it is logged, not thrown
   * (a 5xx would make the caller send the batch again).
   */
  async function advanceLatest(changes: readonly { customer: Customer; stats: CustomerStats }[]) {
    await Promise.all(
      changes.map(async ({ customer, stats }) => {
        const { latest } = statsIncrement(customer.stats, stats);
        if (!latest) return;
        try {
          await client.send(
            new UpdateCommand({
              TableName: tableName,
              Key: customerKey(customer.id),
              UpdateExpression: 'SET #s.#at = :at, #s.#channel = :channel',
              ConditionExpression: `${WRITABLE} AND (attribute_not_exists(#s.#at) OR attribute_type(#s.#at, :null) OR #s.#at < :at)`,
              ExpressionAttributeNames: { '#s': 'stats', '#at': 'lastInteractionAt', '#channel': 'lastChannel' },
              ExpressionAttributeValues: { ':at': latest.at, ':channel': latest.channel, ':null': 'NULL' },
            }),
          );
        } catch (error) {
          if (error instanceof ConditionalCheckFailedException) return; // a newer one is there, or the profile is gone
          log('warn', 'latest interaction not advanced', { error: error instanceof Error ? error.name : typeof error });
        }
      }),
    );
  }

  async function profilesById(ids: Iterable<string>): Promise<Map<string, Customer>> {
    const unique = [...new Set(ids)];
    const items = unique.length ? await batchGet(client, tableName, unique.map(customerKey)) : [];
    return new Map(items.filter((i) => !i.erasingSince).map((i) => [String(i.id), fromProfileItem(i)]));
  }

  /** Timeline entries of a partition, oldest first, one page at a time. */
  async function entriesOf(partition: string, limit: number) {
    const out = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :tl)',
        ExpressionAttributeValues: { ':pk': partition, ':tl': TIMELINE_PREFIX },
        ConsistentRead: true,
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map(fromInteractionItem);
  }

  return {
    async resolve(refs: readonly PersonRef[]) {
      const byIdentity = refs.filter((r) => r.kind !== 'id');
      const owners = byIdentity.length
        ? await batchGet(client, tableName, [...new Map(byIdentity.map((r) => [personKey(r), identityKey(r.kind as IdentityType, r.value)])).values()])
        : [];
      const ownerOf = new Map(owners.map((o) => [`${String(o.identityType)}:${String(o.value)}`, String(o.customerId)]));
      const wanted = new Map(refs.map((r) => [personKey(r), r.kind === 'id' ? r.value : ownerOf.get(personKey(r))]));

      const profiles = await profilesById([...wanted.values()].filter((v): v is string => v !== undefined));
      // Follow merges: a merged customer's interactions belong to the customer it became.
      for (let hop = 0; hop < MAX_MERGE_HOPS; hop++) {
        const targets = [...profiles.values()].map((c) => c.mergedInto).filter((t): t is string => !!t && !profiles.has(t));
        if (!targets.length) break;
        for (const [id, customer] of await profilesById(targets)) profiles.set(id, customer);
      }
      const current = (id: string | undefined): Customer | undefined => {
        let customer = id ? profiles.get(id) : undefined;
        for (let hop = 0; customer?.mergedInto && hop < MAX_MERGE_HOPS; hop++) customer = profiles.get(customer.mergedInto);
        return customer?.mergedInto ? undefined : customer;
      };
      return new Map([...wanted].map(([key, id]) => [key, current(id)]));
    },

    async saveInteractions(interactions, changes, events, context, once) {
      // The idempotency record goes first: `failed.has(0)` then means "this key was used before".
      // The stored answer names every customer of the batch, so each of them gets a reference row
      // in its partition, where its erasure finds the record.
      const owners = [...new Set(interactions.flatMap((i) => (i.customerId ? [i.customerId] : [])))];
      const onceItems = once ? idempotencyItems(tableName, once.claim, once.result, db.clock.now(), (record) => owners.map((owner) => refKey(owner, record))) : [];
      const transaction = (stats: (customer: Customer, stats: CustomerStats) => TransactItem): TransactItem[] => [
        ...onceItems,
        ...changes.map((change) => stats(change.customer, change.stats)),
        // A new id each: the condition makes "counted once per interaction" hold even if one came twice.
        ...interactions.map((i) => put(db, toInteractionItem(i), 'attribute_not_exists(pk)')),
        // At most 1 + 25 + 25 + 25 items above; one record for all events keeps the transaction within 100.
        ...outboxBundlePut(tableName, events, context, db),
      ];
      let failed: FailedConditions | undefined;
      try {
        failed = await commit(client, transaction(statsAdd));
        if (!failed) await advanceLatest(changes);
      } catch (error) {
        // A profile from before a stats field existed has no map to add into: replaced whole, once.
        if (!missingDocumentPath(error)) throw error;
        failed = await commit(client, transaction(statsUpdate));
      }
      if (!failed) return undefined;
      if (once && failed.has(0)) {
        const first = await storedResult<unknown>(client, tableName, once.claim);
        if (first !== undefined) return { replayed: first };
      }
      // A stats revision that moved is a race to retry; a customer erased or merged meanwhile is not.
      for (const [index, { customer }] of changes.entries()) {
        if (!failed.has(onceItems.length + index)) continue;
        const refusal = await refusalFor(db, customer.id);
        if (!(refusal instanceof ConcurrentUpdateError)) throw refusal;
      }
      throw new ConcurrentUpdateError();
    },

    async timeline(customerId, { limit, cursor, channel, type, hiddenKinds = [] }) {
      const query = `timeline:${customerId}:${channel ?? ''}:${type ?? ''}`;
      const filters: string[] = [];
      const values: Record<string, unknown> = { ':pk': customerPartition(customerId), ':tl': TIMELINE_PREFIX };
      if (channel) {
        filters.push('channel = :channel');
        values[':channel'] = channel;
      }
      if (type) {
        filters.push('interactionType = :type');
        values[':type'] = type;
      }
      if (hiddenKinds.length) {
        // A filter, not a key condition: the page may come back shorter; LastEvaluatedKey still pages on.
        filters.push(`NOT (#kind IN (${hiddenKinds.map((_, i) => `:hidden${i}`).join(', ')}))`);
        hiddenKinds.forEach((kind, i) => (values[`:hidden${i}`] = kind));
      }
      const out = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :tl)',
          ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
          ...(hiddenKinds.length ? { ExpressionAttributeNames: { '#kind': 'kind' } } : {}),
          ExpressionAttributeValues: values,
          ScanIndexForward: false,
          Limit: limit,
          ...(cursor ? { ExclusiveStartKey: decodeCursor(query, cursor, { pk: { is: customerPartition(customerId) }, sk: { startsWith: TIMELINE_PREFIX } }) } : {}),
        }),
      );
      const last = out.LastEvaluatedKey;
      return {
        items: (out.Items ?? []).map(fromInteractionItem),
        nextCursor: last ? encodeCursor(query, { pk: String(last.pk), sk: String(last.sk) }) : null,
      };
    },

    async adoptAnonymous(anonymousId, customerId) {
      let moved = 0;
      for (let attempt = 0; attempt < 1000; attempt++) {
        const entries = await entriesOf(anonymousPartition(anonymousId), MOVES_PER_TRANSACTION);
        if (!entries.length) return moved;
        const customer = (await profilesById([customerId])).get(customerId);
        if (!customer || customer.mergedInto) return moved;
        let stats = customer.stats;
        const items: TransactItem[] = [];
        for (const entry of entries) {
          const adopted = { ...entry, customerId };
          items.push(del(db, { pk: anonymousPartition(anonymousId), sk: `${TIMELINE_PREFIX}${entry.occurredAt}#${entry.id}` }, 'attribute_exists(pk)'));
          items.push(put(db, toInteractionItem(adopted)));
          stats = withInteraction(stats, adopted);
        }
        items.push(statsUpdate(customer, stats));
        if (!(await commit(client, items))) moved += entries.length; // a lost race simply reads again
      }
      throw new Error('Could not adopt anonymous interactions');
    },

    async moveTimeline(sourceId, targetId) {
      for (;;) {
        const entries = await entriesOf(customerPartition(sourceId), MOVES_PER_TRANSACTION);
        if (!entries.length) return;
        const items = [
          customerCheck(db, targetId),
          ...entries.flatMap((entry): TransactItem[] => [
            del(db, { pk: customerPartition(sourceId), sk: `${TIMELINE_PREFIX}${entry.occurredAt}#${entry.id}` }),
            put(db, toInteractionItem({ ...entry, customerId: targetId })),
          ]),
        ];
        if (await commit(client, items)) throw await refusalFor(db, targetId);
      }
    },
  };
}

/** DynamoDB refuses to add into a map the item does not have (a stats field older profiles lack). */
function missingDocumentPath(error: unknown): boolean {
  if (error instanceof TransactionCanceledException) return (error.CancellationReasons ?? []).some((reason) => reason.Code === 'ValidationError');
  return error instanceof Error && error.name === 'ValidationException' && /document path/i.test(error.message);
}
