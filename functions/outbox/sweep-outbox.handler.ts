import type { Clock } from '#domain/shared/ports.ts';
import type { EventPublisher } from './event-publisher.ts';
import type { OutboxStore } from './outbox-store.ts';
import { publishRecords } from './publish-records.ts';
import { log } from '../shared/log.ts';
import { outboxMetrics } from '../shared/crm-metrics.ts';

/** The stream normally publishes a record within seconds; one pending this long, it could not. */
export const OUTBOX_SWEEP_GRACE_MINUTES = 30;
/** Records per page; the sweep takes page after page while there is time. */
export const OUTBOX_SWEEP_PAGE = 100;
/** Stop taking pages with less than this left of the invocation (one page's PutEvents and marks). */
const RESERVE_MS = 10_000;

export interface SweepContext {
  getRemainingTimeInMillis?(): number;
}

/**
 * flow: 1. list outbox records pending for longer than the grace 2. publish and mark them as the
 * stream's publisher does 3. one log line with the counts 4. throw when some stay pending, so
 * the Errors metric (and alarm) shows it and the next tick tries again.
 */
export function sweepOutboxHandler(ports: { publisher: EventPublisher; store: OutboxStore; clock: Clock; graceMinutes?: number }) {
  const graceMs = (ports.graceMinutes ?? OUTBOX_SWEEP_GRACE_MINUTES) * 60_000;
  return async (_event: unknown, context?: SweepContext) => {
    const before = new Date(ports.clock.now().getTime() - graceMs).toISOString();
    const totals = { published: 0, rejected: 0, failed: 0, unmarked: 0 };
    for await (const page of ports.store.pendingBefore(before, OUTBOX_SWEEP_PAGE)) {
      const outcome = await publishRecords(page, ports);
      totals.published += outcome.published.length;
      totals.rejected += outcome.rejected.length;
      totals.failed += outcome.failed.length;
      totals.unmarked += outcome.unmarked.length;
      // What is left waits for the next tick.
      if ((context?.getRemainingTimeInMillis?.() ?? Infinity) < RESERVE_MS) break;
    }
    outboxMetrics('sweep', totals);
    const stayPending = totals.rejected + totals.failed + totals.unmarked;
    log(stayPending > 0 ? 'error' : 'info', 'outbox sweep', { before, ...totals });
    if (stayPending > 0) throw new Error(`outbox sweep: ${totals.rejected} rejected, ${totals.failed} unpublished and ${totals.unmarked} unmarked record(s) stay pending`);
    return totals;
  };
}
