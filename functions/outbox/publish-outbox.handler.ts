import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { findEvent } from '#events/catalog.ts';
import { type EventEntry, toEntry } from '#events/define-event.ts';
import { isOutboxKey, type OutboxEntry } from '../shared/outbox.ts';
import type { EventPublisher } from './event-publisher.ts';

/**
 * flow: 1. keep new outbox records 2. validate each against its catalog module 3. PutEvents
 * 4. report failed records so Lambda retries them (ReportBatchItemFailures); nothing is dropped.
 */
export function publishOutboxHandler(publisher: EventPublisher) {
  return async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const pending: { entry: EventEntry; sequence: string }[] = [];
    const failures: string[] = [];
    for (const record of event.Records) {
      const sequence = record.dynamodb?.SequenceNumber ?? '';
      const image = record.dynamodb?.NewImage;
      if (record.eventName !== 'INSERT' || !image) continue;
      const item = unmarshall(image as Record<string, AttributeValue>);
      if (!isOutboxKey(item.pk)) continue;
      try {
        // A bundle (several events in one record) is published whole or retried whole.
        const events = (Array.isArray(item.events) ? item.events : [item]) as OutboxEntry[];
        const time = new Date(String(item.time));
        const entries = events.map((e) => {
          const definition = findEvent(String(e.source), String(e.detailType));
          if (!definition) throw new Error(`unknown event ${String(e.source)}/${String(e.detailType)}`);
          return toEntry(definition, JSON.parse(String(e.detail)), time);
        });
        pending.push(...entries.map((entry) => ({ entry, sequence })));
      } catch (error) {
        console.error(JSON.stringify({ level: 'error', message: 'outbox record rejected', sequence, error: String(error) }));
        failures.push(sequence);
      }
    }
    const failed = await publisher.publish(pending.map((p) => p.entry));
    for (const index of failed) failures.push(pending[index]!.sequence);
    return { batchItemFailures: [...new Set(failures)].map((itemIdentifier) => ({ itemIdentifier })) };
  };
}
