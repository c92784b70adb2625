import { GetCommand, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Priority } from '#domain/cases/case.schema.ts';
import type { Campaign } from '#domain/campaigns/campaign.schema.ts';
import type { DeliveryRepository, OutcomeCounts, Progress, RecipientRecord, RecordSource } from '#domain/campaigns/delivery.repository.ts';
import { TABLE } from '#infra/table.ts';
import { customerKey, customerPartition, fromProfileItem, toInteractionItem } from '../customers/customer.keys.ts';
import { customerCheck } from '../customers/customer-guard.ts';
import { type Db, events as outboxEvents, NOT_EXISTS, put } from '../shared/db.ts';
import { batchGet, queryAll } from '../shared/dynamo-batch.ts';
import { outboxBundlePut, type TransactItem } from '../shared/outbox.ts';
import { commit } from '../shared/transaction.ts';
import { blockedCounter, campaignKey, emptyPageKey, fromCampaignItem, recipientIndexKeys, recipientKey, RECIPIENT_PREFIX, reportKey, sendBatchItemKey } from './campaign.keys.ts';
import { campaignMetrics } from '../shared/crm-metrics.ts';

// Campaign delivery on the table. Report counters (one item, ADD only): targeted, sent, held,
// capped, failed, blocked_<reason>; progress: parts (scan parts), partsDone, batchesQueued,
// batchesDone, lanes, scanRunId. Per sent recipient exactly two item writes: the record (the
// claim) and the timeline entry; every batch adds a few of its own (the batch, its end, the report).

const BY_CUSTOMER = TABLE.indexes.byCustomer;
const BY_CAMPAIGN = TABLE.indexes.byCampaign;
/** Batches per transaction of a page (DynamoDB takes 100 items; one is the report). */
const BATCHES_PER_TRANSACTION = 90;
const CLOSED_CASE = new Set(['solved', 'closed']);

export function toRecipientItem(r: RecipientRecord): Record<string, unknown> {
  return { ...recipientKey(r.customerId, r.campaignId), type: 'CampaignRecipient', ...r, ...recipientIndexKeys(r.campaignId, r.outcome, r.customerId) };
}

/** The whole record as the sender keeps it (the API's view is fromRecipientItem in campaign.keys.ts). */
export function recipientRecordOf(item: Record<string, unknown>): RecipientRecord {
  return {
    customerId: String(item.customerId),
    campaignId: String(item.campaignId),
    outcome: item.outcome as RecipientRecord['outcome'],
    reason: typeof item.reason === 'string' ? item.reason : null,
    at: String(item.at),
    source: String(item.source) as RecordSource,
    entryId: typeof item.entryId === 'string' ? item.entryId : null,
  };
}

/** The timeline entry of a campaign message (the customers context shows it; erasure deletes it). */
function sentEntry(record: RecipientRecord, topic: string, subject: string, messageId: string) {
  return toInteractionItem({
    kind: 'email',
    id: record.entryId!,
    customerId: record.customerId,
    anonymousId: null,
    channel: 'email',
    type: 'email_sent',
    direction: 'outbound',
    occurredAt: record.at,
    recordedAt: record.at,
    summary: subject.slice(0, 1000),
    data: { kind: 'marketing', topic, outcome: 'sent', reason: null, messageId, campaignId: record.campaignId },
    value: null,
  });
}

/** ADD of the non-zero counters (names and values for one UpdateExpression). */
function additions(counts: Partial<OutcomeCounts> & { batchesQueued?: number; batchesDone?: number; partsDone?: number }) {
  const pairs: [string, number][] = [];
  for (const name of ['targeted', 'sent', 'held', 'capped', 'failed', 'batchesQueued', 'batchesDone', 'partsDone'] as const) {
    const n = counts[name];
    if (n) pairs.push([name, n]);
  }
  for (const [reason, n] of Object.entries(counts.blocked ?? {})) if (n) pairs.push([blockedCounter(reason), n]);
  const names: Record<string, string> = {};
  const values: Record<string, number> = {};
  const parts = pairs.map(([name, n], i) => {
    names[`#c${i}`] = name;
    values[`:c${i}`] = n;
    return `#c${i} :c${i}`;
  });
  return { expression: parts.length ? `ADD ${parts.join(', ')}` : '', names, values };
}

export function dynamoDeliveryRepository(db: Db): DeliveryRepository {
  const { client, tableName } = db;

  function reportUpdate(campaignId: string, counts: Parameters<typeof additions>[0], set?: { expression: string; names: Record<string, string>; values: Record<string, unknown> }): TransactItem | undefined {
    const add = additions(counts);
    const expression = [set?.expression ?? '', add.expression].filter(Boolean).join(' ');
    if (!expression) return undefined;
    const names = { ...add.names, ...set?.names };
    const values = { ...add.values, ...set?.values };
    return {
      Update: {
        TableName: tableName,
        Key: reportKey(campaignId),
        UpdateExpression: expression,
        ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
        ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
      },
    };
  }

  async function get(Key: Record<string, unknown>) {
    return (await client.send(new GetCommand({ TableName: tableName, Key, ConsistentRead: true }))).Item;
  }

  async function count(input: QueryCommandInput): Promise<number> {
    let total = 0;
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const out = await client.send(new QueryCommand({ ...input, Select: 'COUNT', ...(ExclusiveStartKey ? { ExclusiveStartKey } : {}) }));
      total += out.Count ?? 0;
      ExclusiveStartKey = out.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return total;
  }

  const transitions = (campaign: Campaign, to: string, at: string, stamp: 'startedAt' | 'completedAt', from: string): TransactItem => ({
    Update: {
      TableName: tableName,
      Key: campaignKey(campaign.id),
      UpdateExpression: 'SET #st = :to, #stamp = :at, updatedAt = :at, version = version + :one',
      ConditionExpression: '#st = :from AND version = :version',
      ExpressionAttributeNames: { '#st': 'status', '#stamp': stamp },
      ExpressionAttributeValues: { ':to': to, ':from': from, ':at': at, ':one': 1, ':version': campaign.version },
    },
  });

  return {
    async campaign(id) {
      const item = await get(campaignKey(id));
      return item ? fromCampaignItem(item) : undefined;
    },

    async person(customerId) {
      const item = await get(customerKey(customerId));
      if (!item || item.erasingSince || item.mergedInto) return undefined;
      const c = fromProfileItem(item);
      return { id: c.id, email: c.email, firstName: c.firstName, lastName: c.lastName, attributes: c.attributes };
    },

    async openCasePriorities(customerId) {
      const priorities: Priority[] = [];
      for await (const page of queryAll(client, {
        TableName: tableName,
        IndexName: BY_CUSTOMER.name,
        KeyConditionExpression: '#p = :p',
        ExpressionAttributeNames: { '#p': BY_CUSTOMER.partitionKey },
        ExpressionAttributeValues: { ':p': `CASES_OF#${customerId}` },
      })) {
        for (const item of page) {
          const data = item.data as { status?: string; priority?: Priority } | undefined;
          if (data?.priority && !CLOSED_CASE.has(String(data.status))) priorities.push(data.priority);
        }
      }
      return priorities;
    },

    async marketingSentSince(customerId, since) {
      const [campaigns, oneToOne] = await Promise.all([
        count({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :r)',
          FilterExpression: 'outcome = :sent AND #at >= :since',
          ExpressionAttributeNames: { '#at': 'at' },
          ExpressionAttributeValues: { ':pk': customerPartition(customerId), ':r': RECIPIENT_PREFIX, ':sent': 'sent', ':since': since },
          ConsistentRead: true,
        }),
        // The consent context's record of the one-to-one marketing emails (POST /customers/{id}/emails).
        count({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          FilterExpression: '#d.#k = :marketing AND #d.outcome = :sent',
          ExpressionAttributeNames: { '#d': 'data', '#k': 'kind' },
          ExpressionAttributeValues: { ':pk': `CONSENT#${customerId}`, ':from': `EMAIL#${since}`, ':to': 'EMAIL#\uffff', ':marketing': 'marketing', ':sent': 'sent' },
          ConsistentRead: true,
        }),
      ]);
      return campaigns + oneToOne;
    },

    async record(record) {
      const failed = await commit(client, [customerCheck(db, record.customerId), put(db, toRecipientItem(record), NOT_EXISTS)]);
      if (!failed) return { status: 'recorded' };
      if (failed.has(1)) {
        const existing = await get(recipientKey(record.customerId, record.campaignId));
        if (existing) return { status: 'exists', existing: recipientRecordOf(existing) };
      }
      return { status: 'gone' };
    },

    async markFailed(customerId, campaignId, reason) {
      await commit(client, [
        customerCheck(db, customerId),
        {
          Update: {
            TableName: tableName,
            Key: recipientKey(customerId, campaignId),
            UpdateExpression: 'SET outcome = :failed, reason = :reason, #s8 = :s8',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: { '#s8': BY_CAMPAIGN.sortKey },
            ExpressionAttributeValues: { ':failed': 'failed', ':reason': reason, ':s8': recipientIndexKeys(campaignId, 'failed', customerId)[BY_CAMPAIGN.sortKey] },
          },
        },
      ]);
    },

    async release(customerId, campaignId, source) {
      await commit(client, [
        {
          Delete: {
            TableName: tableName,
            Key: recipientKey(customerId, campaignId),
            ConditionExpression: '#src = :source AND outcome = :sent',
            ExpressionAttributeNames: { '#src': 'source' },
            ExpressionAttributeValues: { ':source': source, ':sent': 'sent' },
          },
        },
      ]);
    },

    async recordSent({ record, topic, subject, messageId }) {
      // Refused: the person was erased (or merged away) since the claim; nothing is kept about them.
      await commit(client, [customerCheck(db, record.customerId), put(db, sentEntry(record, topic, subject, messageId))]);
    },

    async sentMessageId(record) {
      if (!record.entryId) return undefined;
      const item = await get({ pk: customerPartition(record.customerId), sk: `TL#${record.at}#${record.entryId}` });
      const messageId = (item?.data as { messageId?: unknown } | undefined)?.messageId;
      return typeof messageId === 'string' ? messageId : undefined;
    },

    async queuePage(run, page, batches, lanes) {
      const now = db.clock.now().toISOString();
      const groups = batches.length ? Array.from({ length: Math.ceil(batches.length / BATCHES_PER_TRANSACTION) }, (_, i) => batches.slice(i * BATCHES_PER_TRANSACTION, (i + 1) * BATCHES_PER_TRANSACTION)) : [[]];
      let fresh = false;
      for (const [i, group] of groups.entries()) {
        const lastGroup = i === groups.length - 1;
        const puts = group.length
          ? group.map((b) => put(db, { ...sendBatchItemKey(b.campaignId, b.lane, b.id), type: 'SendBatch', campaignId: b.campaignId, lane: b.lane, batchId: b.id, customerIds: b.customerIds, status: 'queued', queuedAt: now }, NOT_EXISTS))
          : [put(db, { ...emptyPageKey(run.targetId, page.part, page.page), type: 'EmptyScanPage', queuedAt: now }, NOT_EXISTS)];
        const report = reportUpdate(
          run.targetId,
          { targeted: group.reduce((n, b) => n + b.customerIds.length, 0), batchesQueued: group.length, partsDone: page.last && lastGroup ? 1 : 0 },
          { expression: 'SET parts = :parts, lanes = if_not_exists(lanes, :lanes)', names: {}, values: { ':parts': run.parts, ':lanes': lanes } },
        )!;
        // A repeated page: its batches are there, the whole transaction is refused, nothing counts twice.
        const failed = await commit(client, [...puts, report]);
        if (!failed) fresh = true;
      }
      return fresh;
    },

    async finishBatch(batch, status, counts, events, context) {
      const now = db.clock.now().toISOString();
      const items: TransactItem[] = [
        {
          Update: {
            TableName: tableName,
            Key: sendBatchItemKey(batch.campaignId, batch.lane, batch.id),
            UpdateExpression: 'SET #st = :to, finishedAt = :at',
            ConditionExpression: '#st = :queued',
            ExpressionAttributeNames: { '#st': 'status' },
            ExpressionAttributeValues: { ':to': status, ':at': now, ':queued': 'queued' },
          },
        },
        reportUpdate(batch.campaignId, { ...counts, batchesDone: 1 })!,
        ...outboxBundlePut(tableName, events, context, db),
      ];
      const finished = !(await commit(client, items));
      if (finished) campaignMetrics(counts);
      return finished;
    },

    async park(batch) {
      await commit(client, [
        {
          Update: {
            TableName: tableName,
            Key: sendBatchItemKey(batch.campaignId, batch.lane, batch.id),
            UpdateExpression: 'SET #st = :parked',
            ConditionExpression: '#st = :queued',
            ExpressionAttributeNames: { '#st': 'status' },
            ExpressionAttributeValues: { ':parked': 'parked', ':queued': 'queued' },
          },
        },
      ]);
    },

    async requeue(campaignId, lanes) {
      let requeued = 0;
      for (let lane = 0; lane < lanes; lane++) {
        for await (const page of queryAll(client, {
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          FilterExpression: '#st = :parked',
          ExpressionAttributeNames: { '#st': 'status' },
          ExpressionAttributeValues: { ':pk': sendBatchItemKey(campaignId, lane, '').pk, ':parked': 'parked' },
          ConsistentRead: true,
        })) {
          // In sort-key order: the stream hands the lane's batches back in the order they were queued.
          for (const item of page) {
            const failed = await commit(client, [
              {
                Update: {
                  TableName: tableName,
                  Key: { pk: item.pk, sk: item.sk },
                  UpdateExpression: 'SET #st = :queued',
                  ConditionExpression: '#st = :parked',
                  ExpressionAttributeNames: { '#st': 'status' },
                  ExpressionAttributeValues: { ':parked': 'parked', ':queued': 'queued' },
                },
              },
            ]);
            if (!failed) requeued++;
          }
        }
      }
      return requeued;
    },

    async count(campaignId, counts, events, context) {
      const report = reportUpdate(campaignId, counts);
      await commit(client, [...(report ? [report] : []), ...outboxBundlePut(tableName, events, context, db)]);
      campaignMetrics(counts);
    },

    async progress(campaignId): Promise<Progress> {
      const item = (await get(reportKey(campaignId))) ?? {};
      const n = (name: string) => Number(item[name] ?? 0);
      return {
        parts: typeof item.parts === 'number' ? item.parts : null,
        partsDone: n('partsDone'),
        batchesQueued: n('batchesQueued'),
        batchesDone: n('batchesDone'),
        targeted: n('targeted'),
        sent: n('sent'),
        scanRunId: typeof item.scanRunId === 'string' ? item.scanRunId : null,
        lanes: typeof item.lanes === 'number' ? item.lanes : null,
      };
    },

    async start(campaign, at, events, context) {
      const zero = ['targeted', 'sent', 'held', 'capped', 'failed', 'batchesQueued', 'batchesDone', 'partsDone'];
      const report: TransactItem = {
        Update: {
          TableName: tableName,
          Key: reportKey(campaign.id),
          UpdateExpression: `SET ${zero.map((name, i) => `#z${i} = if_not_exists(#z${i}, :zero)`).join(', ')}, #type = :type`,
          ExpressionAttributeNames: { ...Object.fromEntries(zero.map((name, i) => [`#z${i}`, name])), '#type': 'type' },
          ExpressionAttributeValues: { ':zero': 0, ':type': 'CampaignReport' },
        },
      };
      const failed = await commit(client, [transitions(campaign, 'running', at, 'startedAt', 'scheduled'), report, ...outboxEvents(db, events, context)]);
      return !failed;
    },

    async scanStarted(campaignId, runId) {
      await commit(client, [reportUpdate(campaignId, {}, { expression: 'SET scanRunId = :run', names: {}, values: { ':run': runId } })!]);
    },

    async complete(campaign, at, events, context) {
      const failed = await commit(client, [transitions(campaign, 'completed', at, 'completedAt', 'running'), ...outboxEvents(db, events, context)]);
      return !failed;
    },
  };
}
