import { findEvent } from '#events/catalog.ts';
import { type EventEntry, toEntry } from '#events/define-event.ts';
import type { OutboxEntry } from '../shared/outbox.ts';

/**
 * The bus entries of one stored outbox record, each validated against its catalog module. A bundle
 * (several events in one record) gives several entries; the record is published whole or not at all.
 * Throws for a record no catalog module accepts (it is reported, never dropped).
 */
export function outboxEntries(item: Record<string, unknown>): EventEntry[] {
  const events = (Array.isArray(item.events) ? item.events : [item]) as OutboxEntry[];
  const time = new Date(String(item.time));
  return events.map((e) => {
    const definition = findEvent(String(e.source), String(e.detailType));
    if (!definition) throw new Error(`unknown event ${String(e.source)}/${String(e.detailType)}`);
    return toEntry(definition, JSON.parse(String(e.detail)), time);
  });
}
