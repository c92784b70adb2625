import type { EventEntry } from '#events/define-event.ts';

/** Port: puts entries on the bus and returns the indexes that failed. */
export interface EventPublisher {
  publish(entries: readonly EventEntry[]): Promise<ReadonlySet<number>>;
}
