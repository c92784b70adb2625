import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { EventEntry } from '#events/define-event.ts';
import { meter } from '../shared/metering.ts';
import type { EventPublisher } from './event-publisher.ts';

const MAX_ENTRIES_PER_CALL = 10;

/** PutEvents in chunks of 10; entries counted in FailedEntryCount are reported, not dropped. */
export function eventBridgePublisher(client: EventBridgeClient, busName: string): EventPublisher {
  return {
    async publish(entries) {
      const failed = new Set<number>();
      for (let start = 0; start < entries.length; start += MAX_ENTRIES_PER_CALL) {
        const chunk = entries.slice(start, start + MAX_ENTRIES_PER_CALL);
        try {
          const out = await client.send(new PutEventsCommand({ Entries: chunk.map((e) => ({ ...e, EventBusName: busName })) }));
          // Metering: EventBridge bills the entries it accepted.
          meter.eventsPut(chunk.length - (out.FailedEntryCount ?? 0));
          if (out.FailedEntryCount) {
            out.Entries?.forEach((result, i) => {
              if (result.ErrorCode) failed.add(start + i);
            });
          }
        } catch {
          chunk.forEach((_, i) => failed.add(start + i));
        }
      }
      return failed;
    },
  };
}
