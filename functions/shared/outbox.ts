import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { type DomainEvent, envelope } from '#events/define-event.ts';
import type { Clock, CommandContext, IdGenerator } from '#domain/shared/ports.ts';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export const OUTBOX_PREFIX = 'OUTBOX#';
/** Outbox records only need to live until the stream has carried them (24 h of stream retention). */
const OUTBOX_TTL_SECONDS = 2 * 24 * 3600;

export interface OutboxRecord {
  readonly pk: string;
  readonly sk: 'EVENT';
  readonly source: string;
  readonly detailType: string;
  readonly detail: string;
  readonly time: string;
  readonly expiresAt: number;
}

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
      expiresAt: Math.floor(now.getTime() / 1000) + OUTBOX_TTL_SECONDS,
    };
    return { Put: { TableName: tableName, Item: record } };
  });
}

/** One event of an outbox bundle (the fields of an OutboxRecord that name and carry the event). */
export type BundledEvent = Pick<OutboxRecord, 'source' | 'detailType' | 'detail'>;

/**
 * Several events in ONE outbox record, which the publisher puts on the bus one by one: for writes
 * whose transaction cannot afford an item per event (DynamoDB takes at most 100 items per
 * transaction; a batch of 25 interactions for 25 customers with an idempotency key already holds
 * 76). A record the publisher fails to put is retried whole, so its events are at least once,
 * like every event on the bus.
 */
export function outboxBundle(
  tableName: string,
  events: readonly DomainEvent[],
  context: CommandContext,
  ports: { ids: IdGenerator; clock: Clock },
): TransactItem[] {
  if (!events.length) return [];
  const records = outboxPuts(tableName, events, context, ports).map((put) => put.Put!.Item as unknown as OutboxRecord);
  const first = records[0]!;
  const entries: BundledEvent[] = records.map(({ source, detailType, detail }) => ({ source, detailType, detail }));
  return [{ Put: { TableName: tableName, Item: { pk: first.pk, sk: 'EVENTS', entries, time: first.time, expiresAt: first.expiresAt } } }];
}

export const isOutboxKey = (pk: unknown) => typeof pk === 'string' && pk.startsWith(OUTBOX_PREFIX);
