import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer } from '../../domain/customers/customer.ts';
import { interactionUseCases } from '../../domain/customers/interaction.use-cases.ts';
import type { EventEntry } from '../../events/define-event.ts';
import { InteractionRecorded } from '../../events/interaction-recorded.event.ts';
import { dynamoCustomerRepository } from '../../functions/customers/customer.dynamodb-repository.ts';
import { publishOutboxHandler } from '../../functions/outbox/publish-outbox.handler.ts';
import { systemClock, uuidIds } from '../../functions/shared/system.ts';
import { freshTable } from '../support/dynamodb.ts';

// InteractionRecorded against DynamoDB Local: committed in the interaction's own transaction, and
// a full batch (25 items for 25 customers, with an Idempotency-Key) still fits DynamoDB's 100
// items per transaction, because its events travel in one outbox record.

let table: Awaited<ReturnType<typeof freshTable>>;
let repo: ReturnType<typeof dynamoCustomerRepository>;
let interactions: ReturnType<typeof interactionUseCases>;

beforeAll(async () => {
  table = await freshTable();
  repo = dynamoCustomerRepository({ client: table.client, tableName: table.tableName, ids: uuidIds, clock: systemClock });
  interactions = interactionUseCases({ customers: repo, clock: systemClock, ids: uuidIds });
});
afterAll(async () => {
  await table?.drop();
});

let n = 0;
async function customers(count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const { customer, events } = createCustomer({ email: `ir-${++n}-${Date.now()}@example.com` }, uuidIds.next(), new Date());
    await repo.create(customer, events, { correlationId: 'setup' });
    ids.push(customer.id);
  }
  return ids;
}

const outboxOf = async (correlationId: string) =>
  (await table.scanAll()).filter((i) => String(i.pk).startsWith('OUTBOX#') && JSON.stringify(i).includes(`"correlationId\\":\\"${correlationId}`));

/** What the outbox publisher puts on the bus for these outbox items (its stream records). */
async function published(items: Record<string, unknown>[]): Promise<EventEntry[]> {
  const entries: EventEntry[] = [];
  const handler = publishOutboxHandler({
    publisher: {
      async publish(batch) {
        entries.push(...batch);
        return new Set();
      },
    },
    store: {
      async markPublished() {
        return new Set();
      },
      async *pendingBefore() {},
    },
  });
  const records = items.map(
    (item, i): DynamoDBRecord => ({
      eventName: 'INSERT',
      dynamodb: { NewImage: marshall(item) as NonNullable<DynamoDBRecord['dynamodb']>['NewImage'], SequenceNumber: String(i + 1) },
    }),
  );
  const { batchItemFailures } = await handler({ Records: records });
  expect(batchItemFailures).toEqual([]);
  return entries;
}

describe('InteractionRecorded through the outbox', () => {
  it('commits one event with the interaction of POST /customers/{id}/interactions', async () => {
    const [id] = await customers(1);
    const interaction = await interactions.recordOne(id!, { channel: 'web', type: 'page_view', data: { path: '/pricing' } }, undefined, { correlationId: 'one-1' });
    const entries = await published(await outboxOf('one-1'));
    expect(entries.map((e) => [e.DetailType, JSON.parse(e.Detail).data])).toEqual([
      ['InteractionRecorded', { customerId: id, interactionId: interaction.id, channel: 'web', type: 'page_view', occurredAt: interaction.occurredAt }],
    ]);
  });

  it('commits a batch of 25 items for 25 customers with an Idempotency-Key in one transaction, with 25 events', async () => {
    const ids = await customers(25);
    const claim = { scope: 'agent|POST /interactions', key: `batch-${Date.now()}`, fingerprint: 'f' };
    const items = ids.map((customerId, i) => ({ customerId, channel: 'web', type: 'click', data: { button: `b${i}` } }));
    const results = await interactions.recordBatchOnce(items, (r) => r, claim, { correlationId: 'batch-25' });
    expect(results.map((r) => r.status)).toEqual(Array(25).fill('created'));

    const outbox = await outboxOf('batch-25');
    expect(outbox).toHaveLength(1);
    const entries = await published(outbox);
    expect(entries).toHaveLength(25);
    const data = entries.map((e) => InteractionRecorded.detail.parse(JSON.parse(e.Detail)).data);
    expect(data.map((d) => d.customerId).sort()).toEqual([...ids].sort());
    expect(new Set(data.map((d) => d.interactionId))).toEqual(new Set(results.map((r) => (r.status === 'created' ? r.id : ''))));
    expect(JSON.stringify(entries)).not.toContain('button');

    // The retry replays the first answer and commits nothing, so no second event.
    await interactions.recordBatchOnce(items, (r) => r, claim, { correlationId: 'batch-25-retry' });
    expect(await outboxOf('batch-25-retry')).toEqual([]);
  });

  it('raises none for anonymous interactions, nor when they are adopted by a customer', async () => {
    const anonymousId = `anon-${Date.now()}`;
    await interactions.recordBatch([{ anonymousId, channel: 'web', type: 'page_view' }], { correlationId: 'anon-1' });
    expect(await published(await outboxOf('anon-1'))).toEqual([]);
    const [id] = await customers(1);
    const before = (await table.scanAll()).filter((i) => String(i.pk).startsWith('OUTBOX#')).length;
    expect(await repo.adoptAnonymous(anonymousId, id!)).toBe(1);
    expect((await table.scanAll()).filter((i) => String(i.pk).startsWith('OUTBOX#')).length).toBe(before);
  });
});
