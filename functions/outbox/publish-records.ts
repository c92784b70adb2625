import type { EventPublisher } from './event-publisher.ts';
import { outboxEntries } from './outbox-entries.ts';
import type { OutboxStore, StoredOutboxRecord } from './outbox-store.ts';
import { log } from '../shared/log.ts';

export interface PublishOutcome {
  /** Records now on the bus and marked published. */
  readonly published: readonly string[];
  /** Records no catalog module accepts: publishing them again cannot help (a person must look). */
  readonly rejected: readonly string[];
  /** Records the bus did not take this time: they stay pending. */
  readonly failed: readonly string[];
  /**
   * Records the bus took but the table did not mark: they stay pending and the sweep publishes
   * them again later (consumers dedupe by event id). Never a failure to retry now: a stream retry
   * starts again at the record it is told about and would put every later record back on the bus.
   */
  readonly unmarked: readonly string[];
}

/**
 * Publishes outbox records and marks those whose every event the bus took. The stream's publisher
 * and the sweep share it, so a record is published the same way whichever finds it. The mark comes
 * after PutEvents: a crash in between leaves the record pending and it is published again (at least
 * once; consumers dedupe by the event id in its metadata), never marked and lost.
 */
export async function publishRecords(records: readonly StoredOutboxRecord[], ports: { publisher: EventPublisher; store: OutboxStore }): Promise<PublishOutcome> {
  const rejected: string[] = [];
  const pending: { pk: string; entry: ReturnType<typeof outboxEntries>[number] }[] = [];
  for (const record of records) {
    try {
      pending.push(...outboxEntries(record).map((entry) => ({ pk: record.pk, entry })));
    } catch (error) {
      log('error', 'outbox record rejected', { pk: record.pk, error: String(error) });
      rejected.push(record.pk);
    }
  }
  const failedIndexes = await ports.publisher.publish(pending.map((p) => p.entry));
  const notOnBus = new Set([...failedIndexes].map((i) => pending[i]!.pk));
  const onBus = [...new Set(pending.map((p) => p.pk))].filter((pk) => !notOnBus.has(pk));
  const unmarked = onBus.length > 0 ? await ports.store.markPublished(onBus) : new Set<string>();
  return {
    published: onBus.filter((pk) => !unmarked.has(pk)),
    rejected,
    failed: [...notOnBus],
    unmarked: [...unmarked],
  };
}
