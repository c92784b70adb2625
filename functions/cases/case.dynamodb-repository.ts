import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type CounterDelta, counterDeltas, type DayCounters, type ReportDay } from '#domain/cases/case-counters.ts';
import type { CaseQuery, CaseRepository } from '#domain/cases/case.repository.ts';
import type { Case, CaseStatus, Comment } from '#domain/cases/case.schema.ts';
import { DEFAULT_SLA_POLICY, type SlaPolicy } from '#domain/cases/sla-policy.ts';
import { ConcurrentUpdateError, CustomerBeingErasedError, CustomerMergedError, UnknownCustomerError, ValidationError } from '#domain/shared/errors.ts';
import type { CommandContext } from '#domain/shared/ports.ts';
import { TABLE } from '#infra/table.ts';
import { type Db, events, put, queryPage } from '../shared/db.ts';
import { customerKey, refKey } from '../customers/customer.keys.ts';
import { customerCheck, NOT_ERASING, refusalFor, WRITABLE } from '../customers/customer-guard.ts';
import { type CursorKeyShape, decodeCursor, encodeCursor } from '../shared/cursor.ts';
import { batchGet, queryAll } from '../shared/dynamo-batch.ts';
import { idempotencyItems, storedResult } from '../shared/idempotency.ts';
import type { TransactItem } from '../shared/outbox.ts';
import { commit, commitInChunks } from '../shared/transaction.ts';
import {
  agentOpenKey,
  ALL_QUEUES,
  breachedOpenKey,
  CASE_NUMBER_START,
  caseKey,
  caseTimelineItem,
  commentTimelineItem,
  counterKey,
  CURRENT_POLICY_KEY,
  fromCaseItem,
  fromCommentItem,
  policyKey,
  queueKey,
  reportDayKey,
  toCaseItem,
  toCommentItem,
  toQueueItem,
} from './case.keys.ts';

const I = TABLE.indexes;

/** Which index answers which filter combination (each one Query, never a Scan). */
function listingFor(q: CaseQuery): { index: (typeof I)[keyof typeof I]; pk: string; skPrefix?: string; name: string } {
  const filters = (['queue', 'assigneeId', 'priority', 'customerId'] as const).filter((f) => q[f] !== undefined);
  if (filters.length > 1) {
    throw new ValidationError('Combine status with at most one of queue, assigneeId, priority, customerId.', [
      { path: filters[1]!, message: `cannot be combined with ${filters[0]}` },
    ]);
  }
  const status = q.status ? `${q.status}#` : undefined;
  switch (filters[0]) {
    case 'queue':
      return { index: I.byQueue, pk: `QUEUE#${q.queue}`, ...(status ? { skPrefix: status } : {}), name: 'queue' };
    case 'assigneeId':
      return { index: I.byAssignee, pk: `ASSIGNEE#${q.assigneeId}`, ...(status ? { skPrefix: status } : {}), name: 'assignee' };
    case 'priority':
      return { index: I.byPriority, pk: `PRIORITY#${q.priority}`, ...(status ? { skPrefix: status } : {}), name: 'priority' };
    case 'customerId':
      // With a status, customerStatusPage filters this partition (a customer has few cases).
      return { index: I.byCustomer, pk: `CASES_OF#${q.customerId}`, name: 'customer' };
    default:
      return q.status ? { index: I.byStatus, pk: `STATUS#${q.status}`, name: 'status' } : { index: I.byCreatedAt, pk: 'CASES', name: 'all' };
  }
}

export function dynamoCaseRepository(db: Db): CaseRepository {
  const { client, tableName } = db;
  const policies = new Map<number, SlaPolicy>([[0, DEFAULT_SLA_POLICY]]); // versions never change

  function counterItems(deltas: readonly CounterDelta[]): TransactItem[] {
    // Each report delta also counts towards the all-queues total.
    const expanded = deltas.flatMap((d): CounterDelta[] => (d.kind === 'agentOpen' ? [d] : [d, { ...d, queue: ALL_QUEUES }]));
    const merged = new Map<string, { key: Record<string, string>; adds: Map<string, number> }>();
    for (const d of expanded) {
      const key = d.kind === 'day' ? reportDayKey(d.queue, d.day) : d.kind === 'breachedOpen' ? breachedOpenKey(d.queue) : agentOpenKey(d.agentId);
      const field = d.kind === 'day' ? d.field : 'count';
      const id = `${key.pk}|${key.sk}`;
      const entry = merged.get(id) ?? { key, adds: new Map() };
      entry.adds.set(field, (entry.adds.get(field) ?? 0) + d.by);
      merged.set(id, entry);
    }
    return [...merged.values()].map(({ key, adds }) => {
      const fields = [...adds].filter(([, by]) => by !== 0);
      return {
        Update: {
          TableName: tableName,
          Key: key,
          UpdateExpression: `ADD ${fields.map((_, i) => `#f${i} :v${i}`).join(', ')}`,
          ExpressionAttributeNames: Object.fromEntries(fields.map(([f], i) => [`#f${i}`, f])),
          ExpressionAttributeValues: Object.fromEntries(fields.map(([, by], i) => [`:v${i}`, by])),
        },
      };
    }).filter((item) => item.Update.UpdateExpression !== 'ADD ');
  }

  async function policy(version?: number): Promise<SlaPolicy> {
    if (version !== undefined && policies.has(version)) return policies.get(version)!;
    let wanted = version;
    if (wanted === undefined) {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: CURRENT_POLICY_KEY, ConsistentRead: true }));
      wanted = Item ? Number(Item.version) : 0;
      if (policies.has(wanted)) return policies.get(wanted)!;
    }
    const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: policyKey(wanted), ConsistentRead: true }));
    const found = Item ? (Item.data as SlaPolicy) : DEFAULT_SLA_POLICY;
    policies.set(found.version, found);
    return found;
  }

  /**
   * One page of a customer's cases in one status, newest first: the customer's index partition with
   * a filter, read until the page is full or the partition ends (a filter applies after Limit).
   */
  async function customerStatusPage(listing: ReturnType<typeof listingFor>, status: CaseStatus, limit: number, cursor: string | undefined) {
    const { partitionKey, sortKey, name: indexName } = listing.index;
    const name = `cases:customer:${listing.pk}:${status}`;
    const shape: CursorKeyShape = { pk: { startsWith: caseKey('').pk }, sk: { is: caseKey('').sk }, [partitionKey]: { is: listing.pk }, [sortKey]: { startsWith: '' } };
    const found: Record<string, unknown>[] = [];
    let start = cursor ? decodeCursor(name, cursor, shape) : undefined;
    do {
      const out = await client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: indexName,
          KeyConditionExpression: '#p = :p',
          FilterExpression: '#d.#s = :status',
          ExpressionAttributeNames: { '#p': partitionKey, '#d': 'data', '#s': 'status' },
          ExpressionAttributeValues: { ':p': listing.pk, ':status': status },
          ScanIndexForward: false,
          Limit: limit + 1,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      found.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (found.length <= limit && start);
    const items = found.slice(0, limit);
    const last = items.at(-1);
    const nextCursor = found.length > limit && last ? encodeCursor(name, Object.fromEntries(Object.keys(shape).map((k) => [k, String(last[k])]))) : null;
    return { items: items.map(fromCaseItem), nextCursor };
  }

  async function getCase(id: string): Promise<Case | undefined> {
    const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: caseKey(id), ConsistentRead: true }));
    return Item ? fromCaseItem(Item) : undefined;
  }

  /**
   * Replaces the case's own text when it belongs to `customerId` (false when it is gone, or is
   * another erased id's case, scrubbed in that id's turn). The case moves to a new version: a
   * change read before the scrub cannot write the old text back.
   */
  async function scrubCaseText(caseId: string, customerId: string): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      const c = await getCase(caseId);
      if (!c || c.customerId !== customerId) return false;
      const slaPolicy = await policy(c.sla.policyVersion);
      // The survey answer's score stays (an anonymous figure); its comment is the person's words.
      const satisfaction = c.satisfaction ? { ...c.satisfaction, comment: null } : null;
      const erased: Case = { ...c, subject: '[erased]', description: null, tags: [], satisfaction, version: c.version + 1 };
      if (!(await commit(client, [put(db, toCaseItem(erased, slaPolicy), 'version = :expected', { ':expected': c.version })]))) return true;
      if (attempt >= 25) throw new ConcurrentUpdateError();
    }
  }

  async function casesOf(customerId: string): Promise<Case[]> {
    const found: Case[] = [];
    for await (const page of queryAll(client, {
      TableName: tableName,
      IndexName: I.byCustomer.name,
      KeyConditionExpression: '#p = :p',
      ExpressionAttributeNames: { '#p': I.byCustomer.partitionKey },
      ExpressionAttributeValues: { ':p': `CASES_OF#${customerId}` },
    })) {
      found.push(...page.map(fromCaseItem));
    }
    return found;
  }

  return {
    async nextNumber() {
      const out = await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: counterKey,
          UpdateExpression: 'ADD #v :one',
          ExpressionAttributeNames: { '#v': 'value' },
          ExpressionAttributeValues: { ':one': 1 },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return CASE_NUMBER_START + Number(out.Attributes?.value ?? 1);
    },

    async create(opened, list, context, slaPolicy) {
      const { idempotency } = context;
      const once = idempotency ? idempotencyItems(tableName, idempotency, opened, db.clock.now(), (record) => [refKey(opened.customerId, record)]) : [];
      const items: TransactItem[] = [
        ...once,
        customerCheck(db, opened.customerId),
        put(db, toCaseItem(opened, slaPolicy), 'attribute_not_exists(pk)'),
        put(db, caseTimelineItem(opened)),
        ...counterItems(counterDeltas(undefined, opened, db.clock.now())),
        ...events(db, list, context),
      ];
      const failed = await commit(client, items);
      if (!failed) return { case: opened, replayed: false };
      if (idempotency && failed.has(0)) {
        const first = await storedResult<Case>(client, tableName, idempotency);
        if (first) return { case: first, replayed: true };
      }
      // Someone being erased or merged away is a conflict the caller can act on (409); a customer
      // who does not exist, or no longer does, is unknown (422).
      if (failed.has(once.length)) {
        const refusal = await refusalFor(db, opened.customerId);
        if (refusal instanceof CustomerBeingErasedError || refusal instanceof CustomerMergedError) throw refusal;
      }
      throw new UnknownCustomerError(opened.customerId);
    },

    get: getCase,

    async list(query) {
      const listing = listingFor(query);
      if (query.customerId !== undefined && query.status !== undefined) return customerStatusPage(listing, query.status, query.limit, query.cursor);
      const page = await queryPage(db, {
        name: `cases:${listing.name}:${listing.pk}:${listing.skPrefix ?? ''}`,
        index: listing.index,
        partition: listing.pk,
        itemKey: { pk: { startsWith: caseKey('').pk }, sk: { is: caseKey('').sk } },
        ...(listing.skPrefix ? { sortPrefix: listing.skPrefix } : {}),
        limit: query.limit,
        cursor: query.cursor,
      });
      return { items: page.items.map(fromCaseItem), nextCursor: page.nextCursor };
    },

    async update(previous, next, list, context, slaPolicy, comment?: Comment) {
      // Only adding a comment creates something a retry must not repeat; its record goes first.
      const idempotency = comment ? context.idempotency : undefined;
      // Text about the customer (and a move to another customer) needs a customer that takes it:
      // once erasure began, nothing personal is added; status, SLA and assignment changes go on.
      const moved = next.customerId !== previous.customerId;
      const personal = moved || comment !== undefined || next.subject !== previous.subject || next.description !== previous.description || next.tags.join() !== previous.tags.join();
      const once = idempotency ? idempotencyItems(tableName, idempotency, comment, db.clock.now(), (record) => [refKey(next.customerId, record)]) : [];
      const items: TransactItem[] = [
        ...once,
        put(db, toCaseItem(next, slaPolicy), 'version = :expected', { ':expected': previous.version }),
        ...(personal ? [customerCheck(db, next.customerId, moved ? WRITABLE : NOT_ERASING)] : []),
        ...(comment ? [put(db, toCommentItem(comment))] : []),
        ...(comment && comment.visibility === 'public' ? [put(db, commentTimelineItem(next, comment))] : []),
        ...counterItems(counterDeltas(previous, next, db.clock.now())),
        ...events(db, list, context),
      ];
      const failed = await commit(client, items);
      if (!failed) return undefined;
      if (idempotency && failed.has(0)) {
        const first = await storedResult<Comment>(client, tableName, idempotency);
        if (first) return first;
      }
      // The customer check sits right after the idempotency items and the case.
      throw personal && failed.has(once.length + 1) ? await refusalFor(db, next.customerId) : new ConcurrentUpdateError();
    },

    async comments(caseId, { limit, cursor, publicOnly }) {
      const name = `comments:${caseId}:${publicOnly ? 'public' : 'all'}`;
      const out = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :c)',
          ExpressionAttributeValues: { ':pk': `CASE#${caseId}`, ':c': 'COMMENT#', ...(publicOnly ? { ':public': 'public' } : {}) },
          ...(publicOnly ? { FilterExpression: '#d.visibility = :public', ExpressionAttributeNames: { '#d': 'data' } } : {}),
          ConsistentRead: true,
          Limit: limit,
          ...(cursor ? { ExclusiveStartKey: decodeCursor(name, cursor, { pk: { is: caseKey(caseId).pk }, sk: { startsWith: 'COMMENT#' } }) } : {}),
        }),
      );
      const last = out.LastEvaluatedKey;
      return {
        items: (out.Items ?? []).map(fromCommentItem),
        nextCursor: last ? encodeCursor(name, { pk: String(last.pk), sk: String(last.sk) }) : null,
      };
    },

    casesOf,

    async profileState(customerId) {
      // The profile's key and merge mark only: the cases function has no use for the person's details.
      const { Item } = await client.send(
        new GetCommand({ TableName: tableName, Key: customerKey(customerId), ConsistentRead: true, ProjectionExpression: 'pk, mergedInto' }),
      );
      if (!Item) return 'missing';
      return Item.mergedInto ? 'merged' : 'live';
    },

    async queue(name) {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: queueKey(name), ConsistentRead: true }));
      return Item ? (Item.data as never) : undefined;
    },

    async putQueue(queue) {
      await commit(client, [put(db, toQueueItem(queue))]);
    },

    async openCounts(agentIds) {
      const items = agentIds.length ? await batchGet(client, tableName, [...new Set(agentIds)].map(agentOpenKey)) : [];
      return new Map(items.map((i) => [String(i.pk).slice('AGENT#'.length), Number(i.count ?? 0)]));
    },

    async dueForSla(now, limit) {
      const out = await client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: I.slaDue.name,
          KeyConditionExpression: '#p = :p AND #s <= :now',
          ExpressionAttributeNames: { '#p': I.slaDue.partitionKey, '#s': I.slaDue.sortKey },
          ExpressionAttributeValues: { ':p': 'SLA_DUE', ':now': `${now.toISOString()}#~` },
          Limit: limit,
        }),
      );
      return (out.Items ?? []).map(fromCaseItem);
    },

    policy,

    async savePolicy(next, previousVersion) {
      const failed = await commit(client, [
        put(db, { ...policyKey(next.version), type: 'SlaPolicy', data: next }, 'attribute_not_exists(pk)'),
        put(db, { ...CURRENT_POLICY_KEY, type: 'SlaPolicyPointer', version: next.version }, previousVersion === 0 ? 'attribute_not_exists(pk) OR version = :v' : 'version = :v', { ':v': previousVersion }),
      ]);
      if (failed) throw new ConcurrentUpdateError();
      policies.set(next.version, next);
    },

    async reportDays(from, to, queue) {
      const pk = `REPORT#SLA#${queue ?? ALL_QUEUES}`;
      const days: ReportDay[] = [];
      for await (const page of queryAll(client, {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': pk, ':from': `DAY#${from}`, ':to': `DAY#${to}` },
        ConsistentRead: true,
      })) {
        days.push(
          ...page.map((item) => ({
            day: String(item.sk).slice('DAY#'.length),
            counters: Object.fromEntries(Object.entries(item).filter(([, v]) => typeof v === 'number')) as DayCounters,
          })),
        );
      }
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: breachedOpenKey(queue ?? ALL_QUEUES), ConsistentRead: true }));
      return { days, breachedOpen: Number(Item?.count ?? 0) };
    },

    async scrubCustomer(customerId, context: CommandContext, knownCaseIds: readonly string[] = []) {
      void context;
      let scrubbed = 0;
      // The index is eventually consistent: a case opened just before the erasure may not be in it
      // yet, but the erasure read its id from the customer's timeline.
      const ids = new Set([...(await casesOf(customerId)).map((c) => c.id), ...knownCaseIds]);
      for (const caseId of ids) {
        if (!(await scrubCaseText(caseId, customerId))) continue;
        // Comments are immutable once written and no new one is accepted once erasure began.
        const comments: TransactItem[] = [];
        for await (const page of queryAll(client, {
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :c)',
          ExpressionAttributeValues: { ':pk': `CASE#${caseId}`, ':c': 'COMMENT#' },
          ConsistentRead: true,
        })) {
          for (const item of page) comments.push(put(db, toCommentItem({ ...fromCommentItem(item), body: '[erased]' })));
        }
        await commitInChunks(client, comments);
        scrubbed++;
      }
      return scrubbed;
    },
  };
}

