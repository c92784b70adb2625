import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CustomerCreated } from '../../events/customer-created.event.ts';
import type { EventEntry } from '../../events/define-event.ts';
import type { OutboxStore, StoredOutboxRecord } from '../../functions/outbox/outbox-store.ts';
import { OUTBOX_SWEEP_PAGE, sweepOutboxHandler } from '../../functions/outbox/sweep-outbox.handler.ts';
import { outboxPuts } from '../../functions/shared/outbox.ts';
import { fakeClock, sequentialIds } from '../support/fakes.ts';

const NOW = '2025-01-15T10:00:00.000Z';
let logs: ReturnType<typeof vi.spyOn>[] = [];
beforeEach(() => {
  logs = [vi.spyOn(console, 'log').mockImplementation(() => undefined), vi.spyOn(console, 'error').mockImplementation(() => undefined)];
});
afterEach(() => logs.forEach((l) => l.mockRestore()));

function records(n: number, at: string): StoredOutboxRecord[] {
  const events = Array.from({ length: n }, (_, i) => CustomerCreated.of({ customerId: `c-${i}`, fields: ['email'] }));
  return outboxPuts('t', events, { correlationId: 'c' }, { ids: sequentialIds(`ev-${at}`), clock: fakeClock(at) }).map((p) => p.Put!.Item as StoredOutboxRecord);
}

/** Pending records in memory, listed in pages as the DynamoDB store lists them (by listing time). */
function memoryOutbox(all: StoredOutboxRecord[]) {
  const published = new Set<string>();
  const asked: string[] = [];
  const store: OutboxStore = {
    async markPublished(pks) {
      pks.forEach((pk) => published.add(pk));
      return new Set();
    },
    async *pendingBefore(before, pageSize) {
      asked.push(before);
      const due = all.filter((r) => !published.has(r.pk) && String(r.gsi7sk) < before);
      for (let i = 0; i < due.length; i += pageSize) yield due.slice(i, i + pageSize);
    },
  };
  return { store, published, asked };
}

function bus(failing: (entry: EventEntry) => boolean = () => false) {
  const sent: EventEntry[] = [];
  return {
    sent,
    publisher: {
      async publish(entries: readonly EventEntry[]) {
        sent.push(...entries.filter((e) => !failing(e)));
        return new Set(entries.flatMap((e, i) => (failing(e) ? [i] : [])));
      },
    },
  };
}

describe('sweepOutboxHandler', () => {
  it('publishes and marks only records pending for longer than the grace (30 minutes), page after page', async () => {
    const old = records(OUTBOX_SWEEP_PAGE + 5, '2025-01-15T09:00:00.000Z');
    const young = records(3, '2025-01-15T09:45:00.000Z');
    const outbox = memoryOutbox([...old, ...young]);
    const b = bus();
    const totals = await sweepOutboxHandler({ publisher: b.publisher, store: outbox.store, clock: fakeClock(NOW) })({});
    expect(outbox.asked).toEqual(['2025-01-15T09:30:00.000Z']);
    expect(totals).toEqual({ published: OUTBOX_SWEEP_PAGE + 5, rejected: 0, failed: 0, unmarked: 0 });
    expect([...outbox.published].sort()).toEqual(old.map((r) => r.pk).sort());
    expect(b.sent).toHaveLength(OUTBOX_SWEEP_PAGE + 5);
  });

  it('leaves what the bus refused or no catalog module accepts pending, publishes the rest, and throws so the error is seen', async () => {
    const all = records(3, '2025-01-15T09:00:00.000Z');
    const poison = { ...all[2]!, detailType: 'CustomerTeleported' };
    const outbox = memoryOutbox([all[0]!, all[1]!, poison]);
    const b = bus((e) => JSON.parse(e.Detail).data.customerId === 'c-1');
    await expect(sweepOutboxHandler({ publisher: b.publisher, store: outbox.store, clock: fakeClock(NOW) })({})).rejects.toThrow('1 rejected, 1 unpublished and 0 unmarked');
    expect([...outbox.published]).toEqual([all[0]!.pk]);
  });

  it('counts a record the bus took but the table did not mark as still pending, and throws so the error is seen', async () => {
    const all = records(2, '2025-01-15T09:00:00.000Z');
    const outbox = memoryOutbox(all);
    const store: OutboxStore = { ...outbox.store, markPublished: async (pks) => new Set(pks.filter((pk) => pk === all[1]!.pk)) };
    const b = bus();
    await expect(sweepOutboxHandler({ publisher: b.publisher, store, clock: fakeClock(NOW) })({})).rejects.toThrow('0 rejected, 0 unpublished and 1 unmarked');
    expect(b.sent).toHaveLength(2);
  });

  it('stops taking pages when the invocation is nearly out of time (the next tick goes on)', async () => {
    const outbox = memoryOutbox(records(OUTBOX_SWEEP_PAGE * 3, '2025-01-15T09:00:00.000Z'));
    const totals = await sweepOutboxHandler({ publisher: bus().publisher, store: outbox.store, clock: fakeClock(NOW) })({}, { getRemainingTimeInMillis: () => 5_000 });
    expect(totals.published).toBe(OUTBOX_SWEEP_PAGE);
  });
});
