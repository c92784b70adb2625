import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer } from '../../domain/customers/customer.ts';
import { interactionUseCases } from '../../domain/customers/interaction.use-cases.ts';
import { dynamoCustomerRepository } from '../../functions/customers/customer.dynamodb-repository.ts';
import { customerKey } from '../../functions/customers/customer.keys.ts';
import { jitteredPause, systemClock, uuidIds } from '../../functions/shared/system.ts';
import { freshTable } from '../support/dynamodb.ts';

// Issue 14: concurrent batches into one customer add to its stats (DynamoDB increments, no
// revision race), and the counters come out exact: every interaction counted once, none lost.

let table: Awaited<ReturnType<typeof freshTable>>;
let repo: ReturnType<typeof dynamoCustomerRepository>;
let interactions: ReturnType<typeof interactionUseCases>;

beforeAll(async () => {
  table = await freshTable();
  repo = dynamoCustomerRepository({ client: table.client, tableName: table.tableName, ids: uuidIds, clock: systemClock });
  interactions = interactionUseCases({ customers: repo, clock: systemClock, ids: uuidIds, retry: jitteredPause });
});
afterAll(async () => {
  await table?.drop();
});

let n = 0;
async function newCustomer(): Promise<string> {
  const { customer, events } = createCustomer({ email: `ci-${++n}-${Date.now()}@example.com` }, uuidIds.next(), new Date());
  await repo.create(customer, events, { correlationId: 'setup' });
  return customer.id;
}

const NOW = Date.now();
const minutesAgo = (m: number) => new Date(NOW - m * 60_000).toISOString();

/** Batch `b` of `batches`: 5 items for the customer, each at its own minute so the newest is known. */
const batchFor = (customerId: string, b: number) =>
  Array.from({ length: 5 }, (_, i) => {
    const minute = 1000 - (b * 5 + i);
    const purchase = i === 0;
    return {
      customerId,
      channel: i % 2 ? 'email' : 'web',
      type: purchase ? 'purchase' : 'page_view',
      occurredAt: minutesAgo(minute),
      ...(purchase ? { value: { amount: 10.05, currency: 'EUR' } } : {}),
    };
  });

describe('concurrent ingestion into one customer', () => {
  it('Promise.all batches give exact counters, amounts and the newest interaction', async () => {
    const id = await newCustomer();
    const batches = 12;
    const results = await Promise.all(Array.from({ length: batches }, (_, b) => interactions.recordBatch(batchFor(id, b))));
    expect(results.flat().every((r) => r.status === 'created')).toBe(true);

    const customer = await repo.get(id);
    expect(customer?.stats).toEqual({
      interactionCount: batches * 5,
      purchaseCount: batches,
      totalSpent: { EUR: 120.6 },
      byChannel: { web: batches * 3, email: batches * 2 },
      // The last item of the last batch is the newest, whichever batch committed last.
      lastInteractionAt: minutesAgo(1000 - (batches * 5 - 1)),
      lastChannel: 'web',
    });
    const page = await repo.timeline(id, { limit: 100 });
    expect(page.items).toHaveLength(batches * 5);
    expect(page.items[0]!.occurredAt).toBe(customer?.stats.lastInteractionAt);
  });

  it('an Idempotency-Key retried concurrently counts its batch once', async () => {
    const id = await newCustomer();
    const claim = { key: `ingest-${id}`, fingerprint: 'same-body', scope: 'interactions' };
    const items = batchFor(id, 0);
    const answers = await Promise.all(Array.from({ length: 4 }, () => interactions.recordBatchOnce(items, (r) => r.map((x) => x.status), claim)));
    expect(answers).toEqual(Array.from({ length: 4 }, () => Array.from({ length: 5 }, () => 'created')));
    const customer = await repo.get(id);
    expect(customer?.stats.interactionCount).toBe(5);
    expect((await repo.timeline(id, { limit: 100 })).items).toHaveLength(5);
  });

  it('a profile from before byChannel existed takes concurrent batches too (replaced whole once)', async () => {
    const id = await newCustomer();
    await table.client.send(new UpdateCommand({ TableName: table.tableName, Key: customerKey(id), UpdateExpression: 'REMOVE stats.byChannel' }));
    await Promise.all(Array.from({ length: 4 }, (_, b) => interactions.recordBatch(batchFor(id, b))));
    const customer = await repo.get(id);
    expect(customer?.stats.interactionCount).toBe(20);
    expect(customer?.stats.byChannel).toEqual({ web: 12, email: 8 });
  });
});
