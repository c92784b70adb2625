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

/** One event of a bundle: what OutboxRecord holds at its top level. */
export type OutboxEntry = Pick<OutboxRecord, 'source' | 'detailType' | 'detail'>;

/** Several events in one record: one item write for a whole batch's events (the campaign sender's). */
export interface OutboxBundle {
  readonly pk: string;
  readonly sk: 'EVENT';
  readonly events: readonly OutboxEntry[];
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
  const bundle: OutboxBundle = {
    pk: records[0]!.pk,
    sk: 'EVENT',
    events: records.map(({ source, detailType, detail }) => ({ source, detailType, detail })),
    time: records[0]!.time,
    expiresAt: records[0]!.expiresAt,
  };
  return [{ Put: { TableName: tableName, Item: bundle } }];
}

export const isOutboxKey = (pk: unknown) => typeof pk === 'string' && pk.startsWith(OUTBOX_PREFIX);
