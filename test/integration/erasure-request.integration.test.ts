import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { customerUseCases } from '../../domain/customers/customer.use-cases.ts';
import { erasureRequestUseCases } from '../../domain/customers/erasure-request.use-cases.ts';
import { CustomerBeingErasedError } from '../../domain/shared/errors.ts';
import { findEvent } from '../../events/catalog.ts';
import { dynamoCustomerRepository } from '../../functions/customers/customer.dynamodb-repository.ts';
import { customerKey } from '../../functions/customers/customer.keys.ts';
import { dynamoErasureRequests } from '../../functions/customers/erasure-request.dynamodb-repository.ts';
import { erasureRequestKey } from '../../functions/customers/erasure-request.keys.ts';
import { uuidIds } from '../../functions/shared/system.ts';
import { freshTable } from '../support/dynamodb.ts';
import { type FakeClock, fakeClock } from '../support/fakes.ts';

// The erasure request adapter on DynamoDB Local: the request and its event commit together with
// the erasure guard; the sparse index lists pending requests soonest first; the person's erasure
// takes the request with it.

let table: Awaited<ReturnType<typeof freshTable>>;
let clock: FakeClock;
const ctx = { correlationId: 'erasure-request' };

beforeAll(async () => {
  table = await freshTable();
});
afterAll(async () => {
  await table?.drop();
});

function system() {
  const db = { client: table.client, tableName: table.tableName, ids: uuidIds, clock };
  const customers = customerUseCases({ customers: dynamoCustomerRepository(db), clock, ids: uuidIds });
  const requests = dynamoErasureRequests(db);
  return { customers, requests, erasure: erasureRequestUseCases({ requests, clock, graceDays: 7 }) };
}

let n = 0;
const newCustomer = async () => (await system().customers.create({ email: `erasure-${++n}-${Date.now()}@example.com` }, ctx)).customer.id;
const outboxFor = async (customerId: string) =>
  (await table.scanAll()).filter((i) => String(i.pk).startsWith('OUTBOX#') && String(i.detail).includes(customerId) && String(i.detailType).startsWith('CustomerErasure'));
const pendingIds = async () => {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await system().requests.listPending({ limit: 2, ...(cursor ? { cursor } : {}) });
    ids.push(...page.items.map((r) => r.customerId));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return ids;
};

beforeEach(() => {
  clock = fakeClock('2025-01-15T09:00:00.000Z');
});

describe('erasure requests on DynamoDB', () => {
  it('commits the request in the person\'s partition and CustomerErasureRequested together', async () => {
    const id = await newCustomer();
    const request = await system().erasure.request(id, ctx);
    const [item] = (await table.scanAll()).filter((i) => i.pk === erasureRequestKey(id).pk && i.sk === erasureRequestKey(id).sk);
    expect(item).toMatchObject({ status: 'pending', runAt: request.runAt, gsi7pk: 'ERASURE_REQUESTS#pending', gsi7sk: `${request.runAt}#${id}` });
    const [outbox] = await outboxFor(id);
    const definition = findEvent(String(outbox!.source), String(outbox!.detailType));
    expect(definition!.detail.parse(JSON.parse(String(outbox!.detail))).data).toEqual({ customerId: id, requestedAt: request.requestedAt, runAt: request.runAt });
  });

  it('two requests at once record one request and one event', async () => {
    const id = await newCustomer();
    const [a, b] = await Promise.all([system().erasure.request(id, ctx), system().erasure.request(id, ctx)]);
    expect(a).toEqual(b);
    expect(await outboxFor(id)).toHaveLength(1);
  });

  it('refuses a person whose erasure began, writing neither the request nor its event (the guard is in the transaction)', async () => {
    const id = await newCustomer();
    await table.client.send(new UpdateCommand({ TableName: table.tableName, Key: customerKey(id), UpdateExpression: 'SET erasingSince = :t', ExpressionAttributeValues: { ':t': clock.now().toISOString() } }));
    await expect(system().erasure.request(id, ctx)).rejects.toThrow(CustomerBeingErasedError);
    expect(await system().requests.get(id)).toBeUndefined();
    expect(await outboxFor(id)).toEqual([]);
  });

  it('lists pending requests soonest run first across pages; a cancel takes a request off the list, a new request puts it back later', async () => {
    const [early, middle, late] = [await newCustomer(), await newCustomer(), await newCustomer()];
    const before = await pendingIds();
    for (const id of [early, middle, late]) {
      await system().erasure.request(id, ctx);
      clock.advance(60_000);
    }
    expect((await pendingIds()).filter((id) => !before.includes(id))).toEqual([early, middle, late]);

    await system().erasure.cancel(early, ctx);
    const item = (await table.scanAll()).find((i) => i.pk === erasureRequestKey(early).pk && i.sk === erasureRequestKey(early).sk);
    expect(item).toMatchObject({ status: 'cancelled' });
    expect(item).not.toHaveProperty('gsi7pk');
    expect((await pendingIds()).filter((id) => !before.includes(id))).toEqual([middle, late]);

    clock.advance(60_000);
    await system().erasure.request(early, ctx);
    expect((await pendingIds()).filter((id) => !before.includes(id))).toEqual([middle, late, early]);
    expect((await outboxFor(early)).map((o) => o.detailType).sort()).toEqual(['CustomerErasureCancelled', 'CustomerErasureRequested', 'CustomerErasureRequested']);
  });

  it("the person's erasure takes the request with it, off the listing too", async () => {
    const id = await newCustomer();
    await system().erasure.request(id, ctx);
    await system().customers.erase(id, undefined, ctx);
    expect(await system().requests.get(id)).toBeUndefined();
    expect(await pendingIds()).not.toContain(id);
    expect((await table.scanAll()).filter((i) => i.pk === `CUSTOMER#${id}`).map((i) => i.sk)).toEqual(['ERASURE']);
  });
});
