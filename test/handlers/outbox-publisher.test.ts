import { EventBridgeClient, PutEventsCommand, type PutEventsCommandInput } from '@aws-sdk/client-eventbridge';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CustomerCreated } from '../../events/customer-created.event.ts';
import { CustomerErased } from '../../events/customer-erased.event.ts';
import { CustomerUpdated } from '../../events/customer-updated.event.ts';
import type { DomainEvent } from '../../events/define-event.ts';
import { eventBridgePublisher } from '../../functions/outbox/eventbridge-publisher.ts';
import { publishOutboxHandler } from '../../functions/outbox/publish-outbox.handler.ts';
import type { OutboxStore } from '../../functions/outbox/outbox-store.ts';
import { outboxBundlePut, outboxPendingPartition, outboxPuts, outboxShard } from '../../functions/shared/outbox.ts';
import { fakeClock, sequentialIds } from '../support/fakes.ts';

const BUS = 'crm-test';
const eventBridge = mockClient(EventBridgeClient);
let errorLog: ReturnType<typeof vi.spyOn>;

beforeEach(() => {
  eventBridge.reset();
  eventBridge.on(PutEventsCommand).callsFake((input: PutEventsCommandInput) => ({
    FailedEntryCount: 0,
    Entries: (input.Entries ?? []).map((_, i) => ({ EventId: `ev-${i}` })),
  }));
  errorLog = vi.spyOn(console, 'error').mockImplementation(() => undefined);
});

afterEach(() => {
  errorLog.mockRestore();
});

/** The table side of publishing, in memory: which records were marked published, and marks that fail. */
function memoryStore() {
  const marked: string[] = [];
  const unmarkable = new Set<string>();
  const store: OutboxStore = {
    async markPublished(pks) {
      marked.push(...pks.filter((pk) => !unmarkable.has(pk)));
      return new Set(pks.filter((pk) => unmarkable.has(pk)));
    },
    async *pendingBefore() {},
  };
  return { store, marked, unmarkable };
}
let table = memoryStore();
beforeEach(() => {
  table = memoryStore();
});

const handler = () => publishOutboxHandler({ publisher: eventBridgePublisher(new EventBridgeClient({ region: 'eu-central-1' }), BUS), store: table.store });

let sequence = 0;

/** Outbox items exactly as the repositories write them (same builder), one per event. */
function outboxItems(events: DomainEvent[]): Record<string, unknown>[] {
  const puts = outboxPuts('table', events, { correlationId: 'corr-1' }, { ids: sequentialIds('ev'), clock: fakeClock('2025-01-15T09:00:00.000Z') });
  return puts.map((p) => p.Put!.Item as Record<string, unknown>);
}

function streamRecord(item: Record<string, unknown>, eventName: 'INSERT' | 'MODIFY' | 'REMOVE' = 'INSERT'): DynamoDBRecord {
  const image = marshall(item, { removeUndefinedValues: true }) as NonNullable<DynamoDBRecord['dynamodb']>['NewImage'];
  return {
    eventID: `e-${sequence}`,
    eventName,
    eventSource: 'aws:dynamodb',
    dynamodb: {
      Keys: marshall({ pk: item.pk, sk: item.sk }) as NonNullable<DynamoDBRecord['dynamodb']>['Keys'],
      ...(eventName === 'REMOVE' ? { OldImage: image } : { NewImage: image }),
      SequenceNumber: String(++sequence).padStart(6, '0'),
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  };
}

const streamEvent = (records: DynamoDBRecord[]): DynamoDBStreamEvent => ({ Records: records });
const created = (n: number) => Array.from({ length: n }, (_, i) => CustomerCreated.of({ customerId: `c-${i}`, fields: ['email'] }));
const sentEntries = () => eventBridge.commandCalls(PutEventsCommand).map((call) => call.args[0].input.Entries ?? []);
const sequenceOf = (record: DynamoDBRecord) => record.dynamodb!.SequenceNumber!;

describe('publishOutboxHandler with the EventBridge publisher', () => {
  it('ignores records that are not outbox INSERTs and reports no failures', async () => {
    const [outbox] = outboxItems(created(1));
    const profile = { pk: 'CUSTOMER#c-1', sk: 'PROFILE', email: 'ada@example.com' };
    const result = await handler()(
      streamEvent([streamRecord(profile), streamRecord(outbox!, 'MODIFY'), streamRecord(outbox!, 'REMOVE')]),
    );
    expect(result.batchItemFailures).toEqual([]);
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(0);
  });

  it('puts each outbox event on the bus with Source, DetailType and Detail from its catalog module', async () => {
    const events = [
      CustomerCreated.of({ customerId: 'c-1', fields: ['email', 'firstName'] }),
      CustomerUpdated.of({ customerId: 'c-1', changed: ['firstName'], version: 2 }),
      CustomerErased.of({ customerId: 'c-1' }),
    ];
    const result = await handler()(streamEvent(outboxItems(events).map((item) => streamRecord(item))));
    expect(result.batchItemFailures).toEqual([]);
    const [entries] = sentEntries();
    expect(entries!.map((e) => [e.Source, e.DetailType, e.EventBusName])).toEqual([
      ['crm.customers', 'CustomerCreated', BUS],
      ['crm.customers', 'CustomerUpdated', BUS],
      ['crm.customers', 'CustomerErased', BUS],
    ]);
    expect(entries![0]!.Time).toEqual(new Date('2025-01-15T09:00:00.000Z'));
    const detail = JSON.parse(entries![1]!.Detail!);
    expect(detail).toEqual({
      metadata: {
        eventId: 'ev-0002',
        version: 1,
        occurredAt: '2025-01-15T09:00:00.000Z',
        correlationId: 'corr-1',
        causationId: null,
        idempotencyKey: 'ev-0002',
      },
      data: { customerId: 'c-1', changed: ['firstName'], version: 2 },
    });
    expect(CustomerUpdated.detail.safeParse(detail).success).toBe(true);
  });

  it('splits more than 10 entries into PutEvents calls of at most 10, in order', async () => {
    const records = outboxItems(created(23)).map((item) => streamRecord(item));
    const result = await handler()(streamEvent(records));
    expect(result.batchItemFailures).toEqual([]);
    const calls = sentEntries();
    expect(calls.map((entries) => entries.length)).toEqual([10, 10, 3]);
    expect(calls.flat().map((e) => JSON.parse(e.Detail!).data.customerId)).toEqual(Array.from({ length: 23 }, (_, i) => `c-${i}`));
  });

  it('reports exactly the records PutEvents counted in FailedEntryCount', async () => {
    const records = outboxItems(created(12)).map((item) => streamRecord(item));
    eventBridge.on(PutEventsCommand).callsFake((input: PutEventsCommandInput) => {
      const entries = input.Entries ?? [];
      const failing = (e: (typeof entries)[number]) => ['c-3', 'c-11'].includes(JSON.parse(e.Detail!).data.customerId);
      return {
        FailedEntryCount: entries.filter(failing).length,
        Entries: entries.map((e, i) => (failing(e) ? { ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' } : { EventId: `ev-${i}` })),
      };
    });
    const result = await handler()(streamEvent(records));
    expect(result.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual([sequenceOf(records[3]!), sequenceOf(records[11]!)].sort());
  });

  it('reports the whole chunk when a PutEvents call throws, and only that chunk', async () => {
    const records = outboxItems(created(15)).map((item) => streamRecord(item));
    eventBridge
      .on(PutEventsCommand)
      .callsFakeOnce((input: PutEventsCommandInput) => ({ FailedEntryCount: 0, Entries: (input.Entries ?? []).map(() => ({ EventId: 'ok' })) }))
      .rejectsOnce(new Error('network down'));
    const result = await handler()(streamEvent(records));
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(2);
    expect(result.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(records.slice(10).map(sequenceOf));
  });

  it('reports an outbox record of an event the catalog does not know instead of dropping it', async () => {
    const [good, unknown] = outboxItems(created(2));
    const records = [streamRecord(good!), streamRecord({ ...unknown!, detailType: 'CustomerTeleported' })];
    const result = await handler()(streamEvent(records));
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: sequenceOf(records[1]!) }]);
    expect(sentEntries().flat().map((e) => e.DetailType)).toEqual(['CustomerCreated']);
  });

  it('reports an outbox record whose detail does not fit its event schema', async () => {
    const [item] = outboxItems(created(1));
    const detail = JSON.parse(String(item!.detail));
    detail.data.email = 'ada@example.com';
    const record = streamRecord({ ...item!, detail: JSON.stringify(detail) });
    const result = await handler()(streamEvent([record]));
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: sequenceOf(record) }]);
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(0);
    expect(JSON.stringify(errorLog.mock.calls)).not.toContain('ada@example.com');
  });

  it('puts every event of a bundle record on the bus, across PutEvents calls of at most 10', async () => {
    const [bundle] = outboxBundle(created(12));
    const single = outboxItems(created(1)).map((item) => streamRecord(item));
    const result = await handler()(streamEvent([streamRecord(bundle!), ...single]));
    expect(result.batchItemFailures).toEqual([]);
    const calls = sentEntries();
    expect(calls.map((entries) => entries.length)).toEqual([10, 3]);
    expect(calls.flat().map((e) => JSON.parse(e.Detail!).data.customerId)).toEqual([...Array.from({ length: 12 }, (_, i) => `c-${i}`), 'c-0']);
    expect(new Set(calls.flat().slice(0, 12).map((e) => JSON.parse(e.Detail!).metadata.eventId)).size).toBe(12);
  });

  it('reports a bundle record once when any of its events fails, and keeps its event ids for the retry', async () => {
    const [bundle] = outboxBundle(created(3));
    const record = streamRecord(bundle!);
    eventBridge.on(PutEventsCommand).callsFake((input: PutEventsCommandInput) => {
      const entries = input.Entries ?? [];
      const failing = (e: (typeof entries)[number]) => ['c-1', 'c-2'].includes(JSON.parse(e.Detail!).data.customerId);
      return {
        FailedEntryCount: entries.filter(failing).length,
        Entries: entries.map((e, i) => (failing(e) ? { ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' } : { EventId: `ev-${i}` })),
      };
    });
    const first = await handler()(streamEvent([record]));
    expect(first.batchItemFailures).toEqual([{ itemIdentifier: sequenceOf(record) }]);
    const ids = () => sentEntries().flat().map((e) => JSON.parse(e.Detail!).metadata.eventId);
    const firstIds = ids();
    eventBridge.reset();
    eventBridge.on(PutEventsCommand).callsFake((input: PutEventsCommandInput) => ({ FailedEntryCount: 0, Entries: (input.Entries ?? []).map(() => ({ EventId: 'ok' })) }));
    const retry = await handler()(streamEvent([record]));
    expect(retry.batchItemFailures).toEqual([]);
    expect(ids()).toEqual(firstIds);
  });

  it('reports a bundle record with an event the catalog does not know and puts none of its events', async () => {
    const [bundle] = outboxBundle(created(2));
    const events = (bundle!.events as Record<string, unknown>[]).map((e, i) => (i === 1 ? { ...e, detailType: 'CustomerTeleported' } : e));
    const record = streamRecord({ ...bundle!, events });
    const result = await handler()(streamEvent([record]));
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: sequenceOf(record) }]);
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(0);
  });

  it("puts none of a bundle's events when one of them does not fit its schema", async () => {
    const [bundle] = outboxBundle(created(2));
    const events = bundle!.events as { detail: string }[];
    const broken = JSON.parse(events[1]!.detail);
    broken.data.email = 'ada@example.com';
    const record = streamRecord({ ...bundle!, events: [events[0], { ...events[1], detail: JSON.stringify(broken) }] });
    const result = await handler()(streamEvent([record]));
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: sequenceOf(record) }]);
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(0);
  });

  it('marks published exactly the records whose every event the bus took', async () => {
    const items = outboxItems(created(3));
    const [bundle] = outboxBundle(created(2));
    eventBridge.on(PutEventsCommand).callsFake((input: PutEventsCommandInput) => {
      const entries = input.Entries ?? [];
      // c-1 fails: the single record of c-1 and the bundle (c-0, c-1) stay unmarked.
      const failing = (e: (typeof entries)[number]) => JSON.parse(e.Detail!).data.customerId === 'c-1';
      return { FailedEntryCount: entries.filter(failing).length, Entries: entries.map((e) => (failing(e) ? { ErrorCode: 'InternalFailure' } : { EventId: 'ok' })) };
    });
    await handler()(streamEvent([...items.map((item) => streamRecord(item)), streamRecord({ ...bundle!, pk: 'OUTBOX#bundle' })]));
    expect(table.marked.sort()).toEqual([items[0]!.pk, items[2]!.pk].sort());
  });

  it('leaves a record it could not mark pending for the sweep, without failing the batch the bus already took', async () => {
    const records = outboxItems(created(2)).map((item) => streamRecord(item));
    table.unmarkable.add(String(outboxItems(created(2))[1]!.pk));
    const result = await handler()(streamEvent(records));
    // A reported failure would make the stream put that record and every later one on the bus again.
    expect(result.batchItemFailures).toEqual([]);
    expect(eventBridge.commandCalls(PutEventsCommand).flatMap((c) => c.args[0].input.Entries ?? [])).toHaveLength(2);
    expect(table.marked).toEqual([outboxItems(created(1))[0]!.pk]);
  });

  it('writes outbox records with no TTL, listed as pending until published', () => {
    for (const item of [...outboxItems(created(3)), ...outboxBundle(created(2))]) {
      expect(item).not.toHaveProperty('expiresAt');
      const eventId = String(item.pk).slice('OUTBOX#'.length);
      expect(item.gsi7pk).toBe(outboxPendingPartition(outboxShard(eventId)));
      expect(item.gsi7sk).toBe(`2025-01-15T09:00:00.000Z#${eventId}`);
    }
    // The shards spread: 100 event ids touch all ten partitions.
    expect(new Set(Array.from({ length: 100 }, (_, i) => outboxShard(`ev-${i}`))).size).toBe(10);
  });

  it('writes no bundle record for no events', () => {
    expect(outboxBundlePut('table', [], { correlationId: 'c' }, { ids: sequentialIds('ev'), clock: fakeClock('2025-01-15T09:00:00.000Z') })).toEqual([]);
  });
});

function outboxBundle(events: DomainEvent[]): Record<string, unknown>[] {
  const puts = outboxBundlePut('table', events, { correlationId: 'corr-1' }, { ids: sequentialIds('ev'), clock: fakeClock('2025-01-15T09:00:00.000Z') });
  return puts.map((p) => p.Put!.Item as Record<string, unknown>);
}
