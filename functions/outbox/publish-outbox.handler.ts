import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { isOutboxKey } from '../shared/outbox.ts';
import type { EventPublisher } from './event-publisher.ts';
import type { OutboxStore, StoredOutboxRecord } from './outbox-store.ts';
import { publishRecords } from './publish-records.ts';
import { outboxMetrics } from '../shared/crm-metrics.ts';

/**
 * flow: 1. keep new outbox records 2. validate each against its catalog module 3. PutEvents
 * 4. mark the published ones (their TTL starts now) 5. report those the bus did not take so Lambda
 * retries them (ReportBatchItemFailures). A record on the bus whose mark failed is not reported: it
 * stays pending and the sweep publishes it again. What the stream gives up on stays pending too.
 */
export function publishOutboxHandler(ports: { publisher: EventPublisher; store: OutboxStore }) {
  return async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const records: StoredOutboxRecord[] = [];
    const sequenceOf = new Map<string, string>();
    for (const record of event.Records) {
      const image = record.dynamodb?.NewImage;
      if (record.eventName !== 'INSERT' || !image) continue;
      const item = unmarshall(image as Record<string, AttributeValue>);
      if (!isOutboxKey(item.pk)) continue;
      records.push(item as StoredOutboxRecord);
      sequenceOf.set(String(item.pk), record.dynamodb?.SequenceNumber ?? '');
    }
    if (records.length === 0) return { batchItemFailures: [] };
    const outcome = await publishRecords(records, ports);
    outboxMetrics('stream', { published: outcome.published.length, rejected: outcome.rejected.length, failed: outcome.failed.length, unmarked: outcome.unmarked.length });
    const failures = [...outcome.rejected, ...outcome.failed].map((pk) => sequenceOf.get(pk)!);
    return { batchItemFailures: [...new Set(failures)].map((itemIdentifier) => ({ itemIdentifier })) };
  };
}
