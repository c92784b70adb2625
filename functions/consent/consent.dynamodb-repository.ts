import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { ConsentRepository, Delivery } from '#domain/consent/consent.repository.ts';
import type { LedgerEntry, Suppression, Topic, TopicState } from '#domain/consent/consent.schema.ts';
import { ConcurrentUpdateError } from '#domain/shared/errors.ts';
import { TABLE } from '#infra/table.ts';
import { customerKey, erasureKey, fromProfileItem, identityKey, toInteractionItem } from '../customers/customer.keys.ts';
import { customerCheck, refusalFor } from '../customers/customer-guard.ts';
import { type Db, del, events, NOT_EXISTS, put } from '../shared/db.ts';
import { decodeCursor, encodeCursor } from '../shared/cursor.ts';
import { batchDelete, batchGet, queryAll } from '../shared/dynamo-batch.ts';
import type { TransactItem } from '../shared/outbox.ts';
import { commit, commitInChunks } from '../shared/transaction.ts';
import { consentMetrics } from '../shared/crm-metrics.ts';
import { ConsentConfirmed } from '#events/consent-confirmed.event.ts';
import { ConsentWithdrawn } from '#events/consent-withdrawn.event.ts';

// Items of the consent context:
//   topics        pk CONFIG               sk TOPICS                    data: Topic[]
//   topic state   pk CONSENT#<customer>   sk STATE#<topic>             state, updatedAt
//   ledger entry  pk CONSENT#<customer>   sk LEDGER#<at>#<id>          data (append-only)
//   delivery      pk CONSENT#<customer>   sk EMAIL#<at>#<id>           data (sent or blocked, and why)
//   suppression   pk SUPPRESSION#<email>  sk SUPPRESSION               data; gsi1 SUPPRESSIONS / <at>#<email>
//   delivery key  pk DELIVERY#<key>       sk DELIVERY                  an email recorded under this key (TTL)
//   timeline      pk CUSTOMER#<customer>  sk TL#<at>#<id>              kind consent | email (the customers context shows them)

const BY_CREATED = TABLE.indexes.byCreatedAt;
const topicsKey = { pk: 'CONFIG', sk: 'TOPICS' } as const;
const consentPartition = (customerId: string) => `CONSENT#${customerId}`;
export const stateKey = (customerId: string, topic: string) => ({ pk: consentPartition(customerId), sk: `STATE#${topic}` });
const suppressionKey = (email: string) => ({ pk: `SUPPRESSION#${email}`, sk: 'SUPPRESSION' });
const deliveryOnceKey = (key: string) => ({ pk: `DELIVERY#${key}`, sk: 'DELIVERY' });
/** Retries of one email end within days (Lambda's async retries: 6 h; a DLQ keeps 14 days). */
const DELIVERY_KEY_TTL_SECONDS = 30 * 24 * 3600;

const ACTION_WORDS: Record<LedgerEntry['action'], string> = {
  requested: 'Consent requested',
  confirmed: 'Consent confirmed',
  granted: 'Consent granted',
  withdrawn: 'Consent withdrawn',
  suppressed: 'Email suppressed',
};

/** Consent changes and emails on the customer's timeline (the customers context reads them). */
function ledgerTimeline(e: LedgerEntry) {
  return toInteractionItem({
    kind: 'consent',
    id: e.id,
    customerId: e.customerId,
    anonymousId: null,
    channel: 'email',
    type: `consent_${e.action}`,
    direction: 'inbound',
    occurredAt: e.at,
    recordedAt: e.at,
    summary: `${ACTION_WORDS[e.action]}: ${e.topic}`,
    data: { topic: e.topic, action: e.action, source: e.source, ip: e.ip, userAgent: e.userAgent, textVersion: e.textVersion, legalBasis: e.legalBasis, proof: e.proof },
    value: null,
  });
}

function deliveryTimeline(d: Delivery & { customerId: string }) {
  return toInteractionItem({
    kind: 'email',
    id: d.id,
    customerId: d.customerId,
    anonymousId: null,
    channel: 'email',
    type: d.outcome === 'sent' ? 'email_sent' : 'email_blocked',
    direction: 'outbound',
    occurredAt: d.at,
    recordedAt: d.at,
    summary: d.subject.slice(0, 1000),
    data: { kind: d.kind, topic: d.topic, outcome: d.outcome, reason: d.reason, messageId: d.messageId },
    value: null,
  });
}

export function dynamoConsentRepository(db: Db): ConsentRepository {
  const { client, tableName } = db;

  return {
    async topics() {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: topicsKey, ConsistentRead: true }));
      return (Item?.data as Topic[] | undefined) ?? [];
    },

    async putTopics(topics) {
      await commit(client, [put(db, { ...topicsKey, type: 'Topics', data: topics })]);
    },

    async recipient(customerId) {
      const items = await batchGet(client, tableName, [customerKey(customerId), erasureKey(customerId)]);
      const profile = items.find((i) => i.sk === 'PROFILE');
      // From the moment erasure begins, the person is no longer mailed.
      if (profile?.erasingSince) return 'erased';
      if (profile && !profile.mergedInto) {
        const c = fromProfileItem(profile);
        return { id: c.id, email: c.email, firstName: c.firstName, lastName: c.lastName };
      }
      return items.some((i) => i.sk === 'ERASURE') ? 'erased' : undefined;
    },

    async customerIdByEmail(email) {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: identityKey('email', email), ConsistentRead: true }));
      return Item ? String(Item.customerId) : undefined;
    },

    async states(customerId) {
      const out = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :s)',
          ExpressionAttributeValues: { ':pk': consentPartition(customerId), ':s': 'STATE#' },
          ConsistentRead: true,
        }),
      );
      return (out.Items ?? []).map((i): TopicState => ({ topic: String(i.sk).slice('STATE#'.length), state: i.state as TopicState['state'], updatedAt: String(i.updatedAt) }));
    },

    async ledger(customerId) {
      const entries: LedgerEntry[] = [];
      for await (const page of queryAll(client, {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :l)',
        ExpressionAttributeValues: { ':pk': consentPartition(customerId), ':l': 'LEDGER#' },
        ConsistentRead: true,
      })) {
        entries.push(...page.map((i) => i.data as LedgerEntry));
      }
      return entries;
    },

    async append(entries, states, list, context) {
      // The people written about must still take writes (not erased, not being erased, not merged away).
      const people = [...new Set([...states.map((s) => s.customerId), ...entries.map((e) => e.customerId)])];
      const items: TransactItem[] = [
        ...people.map((id) => customerCheck(db, id)),
        ...states.map((s) =>
          put(
            db,
            { ...stateKey(s.customerId, s.topic), type: 'ConsentState', state: s.state, updatedAt: s.at },
            s.expected === 'none' ? 'attribute_not_exists(pk) OR #st = :expected' : '#st = :expected',
            { ':expected': s.expected },
          ),
        ),
        ...entries.flatMap((e) => [put(db, { pk: consentPartition(e.customerId), sk: `LEDGER#${e.at}#${e.id}`, type: 'ConsentLedgerEntry', data: e }), put(db, ledgerTimeline(e))]),
        ...events(db, list, context),
      ];
      // `#st` is declared on the state puts only (a transaction item may not name unused attributes).
      for (const item of items.slice(people.length, people.length + states.length)) item.Put!.ExpressionAttributeNames = { '#st': 'state' };
      const failed = await commit(client, items);
      if (!failed) {
        const count = (type: string) => list.filter((e) => e.definition.detailType === type).length;
        consentMetrics({ confirmed: count(ConsentConfirmed.detailType), withdrawn: count(ConsentWithdrawn.detailType) });
        return;
      }
      const refused = people.find((_, index) => failed.has(index));
      throw refused === undefined ? new ConcurrentUpdateError() : await refusalFor(db, refused);
    },

    async suppression(email) {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: suppressionKey(email), ConsistentRead: true }));
      return Item ? (Item.data as Suppression) : undefined;
    },

    async suppress(suppression, list, context) {
      const failed = await commit(client, [
        put(
          db,
          { ...suppressionKey(suppression.email), type: 'Suppression', data: suppression, [BY_CREATED.partitionKey]: 'SUPPRESSIONS', [BY_CREATED.sortKey]: `${suppression.at}#${suppression.email}` },
          'attribute_not_exists(pk)',
        ),
        ...events(db, list, context),
      ]);
      return !failed; // already suppressed: nothing new (and no duplicate events)
    },

    async unsuppress(email) {
      const failed = await commit(client, [del(db, suppressionKey(email), 'attribute_exists(pk)')]);
      return !failed;
    },

    async suppressions({ limit, cursor }) {
      const shape = {
        pk: { startsWith: suppressionKey('').pk },
        sk: { is: suppressionKey('').sk },
        [BY_CREATED.partitionKey]: { is: 'SUPPRESSIONS' },
        [BY_CREATED.sortKey]: { startsWith: '' },
      };
      const names = Object.keys(shape);
      const out = await client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: BY_CREATED.name,
          KeyConditionExpression: '#p = :p',
          ExpressionAttributeNames: { '#p': BY_CREATED.partitionKey },
          ExpressionAttributeValues: { ':p': 'SUPPRESSIONS' },
          ScanIndexForward: false,
          Limit: limit,
          ...(cursor ? { ExclusiveStartKey: decodeCursor('suppressions', cursor, shape) } : {}),
        }),
      );
      const last = out.LastEvaluatedKey;
      return {
        items: (out.Items ?? []).map((i) => i.data as Suppression),
        nextCursor: last ? encodeCursor('suppressions', Object.fromEntries(names.map((n) => [n, String(last[n])]))) : null,
      };
    },

    async recordDelivery(delivery, list, context, onceKey) {
      const customerId = delivery.customerId;
      const published = events(db, list, context);
      // First item: the transaction fails as a whole (and records nothing) when the key was used.
      const once: TransactItem[] = onceKey
        ? [put(db, { ...deliveryOnceKey(onceKey), type: 'DeliveryRecorded', expiresAt: Math.floor(db.clock.now().getTime() / 1000) + DELIVERY_KEY_TTL_SECONDS }, NOT_EXISTS)]
        : [];
      if (customerId) {
        const failed = await commit(client, [
          ...once,
          customerCheck(db, customerId),
          put(db, { pk: consentPartition(customerId), sk: `EMAIL#${delivery.at}#${delivery.id}`, type: 'EmailDelivery', data: delivery }),
          put(db, deliveryTimeline({ ...delivery, customerId })),
          ...published,
        ]);
        if (!failed) return;
        if (once.length && failed.has(0)) return; // recorded before: a retried send
        // Refused: the person is erased, being erased or merged away. The record is not kept
        // about them; the events (ids only) still go out.
      }
      if (once.length || published.length) await commit(client, [...once, ...published]); // a failed condition: recorded before
    },

    async anonymize(customerId) {
      let count = 0;
      const rewrites: TransactItem[] = [];
      const deletions: Record<string, unknown>[] = [];
      for await (const page of queryAll(client, {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': consentPartition(customerId) },
      })) {
        for (const item of page) {
          const sk = String(item.sk);
          if (sk.startsWith('LEDGER#')) {
            const e = item.data as LedgerEntry;
            rewrites.push(put(db, { ...item, data: { ...e, ip: null, userAgent: null } }));
            count++;
          } else if (sk.startsWith('EMAIL#')) deletions.push({ pk: item.pk, sk: item.sk });
        }
      }
      await commitInChunks(client, rewrites);
      await batchDelete(client, tableName, deletions);
      return count;
    },
  };
}
