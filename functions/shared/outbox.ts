import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { type DomainEvent, envelope } from '#events/define-event.ts';
import type { Clock, CommandContext, IdGenerator } from '#domain/shared/ports.ts';
import { TABLE } from '#infra/table.ts';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

// An outbox record is born without a TTL and listed as pending in a sparse collection of the
// due-time index; whoever publishes it (the stream's publisher, or the sweep for what the stream
// could not deliver) then removes it from that collection and gives it its TTL. So a record cannot
// expire before it was published, and the sweep finds every record still unpublished.
//
//   record   pk OUTBOX#<eventId>   sk EVENT   source, detailType, detail, time (or events[] for a bundle)
//            gsi7 OUTBOX_PENDING#<shard 0-9> / <time>#<eventId>      only until published
//            publishedAt, expiresAt                                  set when published

export const OUTBOX_PREFIX = 'OUTBOX#';
/** After publishing, a record stays this long for whoever investigates an event, then TTL removes it. */
export const OUTBOX_PUBLISHED_TTL_SECONDS = 2 * 24 * 3600;
/** Pending records spread over this many index partitions, so a busy table does not write one hot. */
export const OUTBOX_PENDING_SHARDS = 10;
export const OUTBOX_PENDING_INDEX = TABLE.indexes.slaDue;
const PENDING = OUTBOX_PENDING_INDEX;

type PendingListing = { readonly [K in typeof PENDING.partitionKey | typeof PENDING.sortKey]: string };

export type OutboxRecord = PendingListing & {
  readonly pk: string;
  readonly sk: 'EVENT';
  readonly source: string;
  readonly detailType: string;
  readonly detail: string;
  readonly time: string;
};

export const outboxPendingPartition = (shard: number) => `OUTBOX_PENDING#${shard}`;

/** FNV-1a of the event id: records spread evenly over the pending partitions. */
export function outboxShard(eventId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < eventId.length; i++) hash = Math.imul(hash ^ eventId.charCodeAt(i), 0x01000193) >>> 0;
  return hash % OUTBOX_PENDING_SHARDS;
}

const pendingListing = (eventId: string, time: string): PendingListing => ({
  [PENDING.partitionKey]: outboxPendingPartition(outboxShard(eventId)),
  [PENDING.sortKey]: `${time}#${eventId}`,
}) as PendingListing;

/** The key of an outbox record (what the publisher and the sweep mark published). */
export const outboxKey = (pk: string) => ({ pk, sk: 'EVENT' as const });

/** One event of a bundle: what OutboxRecord holds at its top level. */
export type OutboxEntry = Pick<OutboxRecord, 'source' | 'detailType' | 'detail'>;

/** Several events in one record: one item write for a whole batch's events (the campaign sender's). */
export type OutboxBundle = PendingListing & {
  readonly pk: string;
  readonly sk: 'EVENT';
  readonly events: readonly OutboxEntry[];
  readonly time: string;
};

/** Outbox puts to commit in the same transaction as the state change that caused the events. */
export function outboxPuts(
  tableName: string,
  events: readonly DomainEvent[],
  context: CommandContext,
  ports: { ids: IdGenerator; clock: Clock },
): TransactItem[] {
  const now = ports.clock.now();
  return events.map((event) => {
    const eventId = ports.ids.next();
    const detail = envelope(event, {
      eventId,
      occurredAt: now.toISOString(),
      correlationId: context.correlationId,
      causationId: null,
      idempotencyKey: eventId,
    });
    const record: OutboxRecord = {
      pk: `${OUTBOX_PREFIX}${eventId}`,
      sk: 'EVENT',
      source: event.definition.source,
      detailType: event.definition.detailType,
      detail: JSON.stringify(detail),
      time: now.toISOString(),
      ...pendingListing(eventId, now.toISOString()),
    };
    return { Put: { TableName: tableName, Item: record } };
  });
}

/**
 * The events in ONE outbox put (none when there are no events): the publisher puts each of them on
 * the bus and retries the whole record if any fails (consumers are idempotent by event id).
 */
export function outboxBundlePut(
  tableName: string,
  events: readonly DomainEvent[],
  context: CommandContext,
  ports: { ids: IdGenerator; clock: Clock },
): TransactItem[] {
  if (events.length === 0) return [];
  const records = outboxPuts(tableName, events, context, ports).map((p) => p.Put!.Item as unknown as OutboxRecord);
  const first = records[0]!;
  const bundle: OutboxBundle = {
    pk: first.pk,
    sk: 'EVENT',
    events: records.map(({ source, detailType, detail }) => ({ source, detailType, detail })),
    time: first.time,
    [PENDING.partitionKey]: first[PENDING.partitionKey],
    [PENDING.sortKey]: first[PENDING.sortKey],
  } as OutboxBundle;
  return [{ Put: { TableName: tableName, Item: bundle } }];
}

export const isOutboxKey = (pk: unknown) => typeof pk === 'string' && pk.startsWith(OUTBOX_PREFIX);
