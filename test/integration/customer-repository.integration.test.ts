import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer } from '../../domain/customers/customer.schema.ts';
import { createCustomer, eraseCustomer, patchCustomer } from '../../domain/customers/customer.ts';
import { ConcurrentUpdateError, EmailTakenError, IdempotencyKeyReusedError } from '../../domain/shared/errors.ts';
import { findEvent } from '../../events/catalog.ts';
import { dynamoCustomerRepository } from '../../functions/customers/customer.dynamodb-repository.ts';
import { systemClock, uuidIds } from '../../functions/shared/system.ts';
import { freshTable } from '../support/dynamodb.ts';

// The DynamoDB adapter against the real engine (DynamoDB Local): every write is one transaction
// holding the state change, its uniqueness guards and its outbox records; a refusal writes nothing.

let table: Awaited<ReturnType<typeof freshTable>>;
let repo: ReturnType<typeof dynamoCustomerRepository>;
const requests: string[] = [];
const ctx = { correlationId: 'test' };

beforeAll(async () => {
  table = await freshTable();
  table.client.middlewareStack.add(
    (next, context) => async (args) => {
      requests.push(String(context.commandName));
      return next(args);
    },
    { step: 'initialize', name: 'countRequests' },
  );
  repo = dynamoCustomerRepository({ client: table.client, tableName: table.tableName, ids: uuidIds, clock: systemClock });
});
afterAll(async () => {
  await table?.drop();
});

let n = 0;
function newCustomer(extra: Partial<Parameters<typeof createCustomer>[0]> = {}) {
  return createCustomer({ email: `repo-${++n}-${Date.now()}@example.com`, ...extra }, uuidIds.next(), new Date());
}

const itemsOf = async (pred: (item: Record<string, unknown>) => boolean) => (await table.scanAll()).filter(pred);
const outboxFor = async (id: string) =>
  (await itemsOf((i) => String(i.pk).startsWith('OUTBOX#'))).filter((i) => String(i.detail).includes(id));

describe('dynamoCustomerRepository', () => {
  it('creates profile, email reservation, tag memberships and the outbox record in one request', async () => {
    const { customer, events } = newCustomer({ tags: ['a', 'b'] });
    requests.length = 0;
    await repo.create(customer, events, ctx);
    expect(requests).toEqual(['TransactWriteItemsCommand']);

    requests.length = 0;
    expect(await repo.get(customer.id)).toEqual(customer);
    expect(requests).toEqual(['GetItemCommand']);

    expect(await itemsOf((i) => i.customerId === customer.id)).toHaveLength(4); // email owner + email identity row + 2 tags
    const [outbox] = await outboxFor(customer.id);
    const definition = findEvent(String(outbox!.source), String(outbox!.detailType));
    expect(definition?.detailType).toBe('CustomerCreated');
    expect(definition!.detail.parse(JSON.parse(String(outbox!.detail))).data).toEqual({ customerId: customer.id, fields: ['email', 'tags'] });
    // No TTL until it is published (functions/shared/outbox.ts): listed as pending meanwhile.
    expect(outbox).not.toHaveProperty('expiresAt');
    expect(String(outbox!.gsi7pk)).toMatch(/^OUTBOX_PENDING#\d$/);
  });

  it('refuses a taken email and writes nothing at all', async () => {
    const first = newCustomer();
    await repo.create(first.customer, first.events, ctx);
    const before = (await table.scanAll()).length;
    const clash = createCustomer({ email: first.customer.email, tags: ['x'] }, uuidIds.next(), new Date());
    await expect(repo.create(clash.customer, clash.events, ctx)).rejects.toBeInstanceOf(EmailTakenError);
    expect((await table.scanAll()).length).toBe(before);
    expect(await repo.get(clash.customer.id)).toBeUndefined();
  });

  it('replays an idempotent create and refuses the same key for another request', async () => {
    const idempotency = { scope: 'agent|POST /customers', key: `k-${Date.now()}`, fingerprint: 'f1' };
    const first = newCustomer();
    expect(await repo.create(first.customer, first.events, { ...ctx, idempotency })).toEqual({ customer: first.customer, replayed: false });
    const retry = newCustomer();
    retry.customer.email = first.customer.email;
    expect(await repo.create(retry.customer, retry.events, { ...ctx, idempotency })).toEqual({ customer: first.customer, replayed: true });
    expect(await repo.get(retry.customer.id)).toBeUndefined();
    const other = newCustomer();
    await expect(repo.create(other.customer, other.events, { ...ctx, idempotency: { ...idempotency, fingerprint: 'f2' } })).rejects.toBeInstanceOf(
      IdempotencyKeyReusedError,
    );
    expect(await repo.get(other.customer.id)).toBeUndefined();
  });

  it('moves the email reservation and tag memberships on update', async () => {
    const { customer, events } = newCustomer({ tags: ['keep', 'drop'] });
    await repo.create(customer, events, ctx);
    const patched = patchCustomer(customer, { email: `moved-${customer.email}`, tags: ['keep', 'new'] }, new Date());
    await repo.update(customer, patched.customer, patched.events, ctx);
    expect(await repo.findByIdentity('email', patched.customer.email)).toEqual(patched.customer);
    expect(await repo.findByIdentity('email', customer.email)).toBeUndefined();
    const tags = (await itemsOf((i) => i.type === 'CustomerTag' && i.customerId === customer.id)).map((i) => i.pk).sort();
    expect(tags).toEqual(['TAG#keep', 'TAG#new']);
  });

  it('refuses an update from a stale version, and an email clash, without changing anything', async () => {
    const a = newCustomer();
    const b = newCustomer();
    await repo.create(a.customer, a.events, ctx);
    await repo.create(b.customer, b.events, ctx);
    const first = patchCustomer(b.customer, { firstName: 'One' }, new Date());
    await repo.update(b.customer, first.customer, first.events, ctx);
    const fromStale = patchCustomer(b.customer, { firstName: 'Two' }, new Date());
    await expect(repo.update(b.customer, fromStale.customer, fromStale.events, ctx)).rejects.toBeInstanceOf(ConcurrentUpdateError);

    const before = await table.scanAll();
    const clash = patchCustomer(first.customer, { email: a.customer.email }, new Date());
    await expect(repo.update(first.customer, clash.customer, clash.events, ctx)).rejects.toBeInstanceOf(EmailTakenError);
    expect(await table.scanAll()).toEqual(before);
    expect((await repo.get(b.customer.id))?.firstName).toBe('One');
  });

  it('erases the profile with its identities and memberships, leaving an anonymous erasure record and the outbox records', async () => {
    const { customer, events } = newCustomer({ tags: ['t1', 't2'] });
    await repo.create(customer, events, ctx);
    await repo.erase(customer, (mergedFrom) => eraseCustomer(customer, mergedFrom), ctx);
    expect(await repo.get(customer.id)).toBeUndefined();
    expect(await itemsOf((i) => i.customerId === customer.id || i.id === customer.id)).toEqual([]);
    const left = await itemsOf((i) => i.pk === `CUSTOMER#${customer.id}`);
    expect(left.map((i) => i.sk)).toEqual(['ERASURE']);
    const types = (await outboxFor(customer.id)).map((o) => o.detailType).sort();
    expect(types).toEqual(['CustomerCreated', 'CustomerErased']);
  });

  it('pages the newest-first listing with one Query per page', async () => {
    const made: Customer[] = [];
    for (let i = 0; i < 3; i++) {
      const { customer, events } = newCustomer();
      await repo.create(customer, events, ctx);
      made.push(customer);
      await new Promise((r) => setTimeout(r, 2));
    }
    requests.length = 0;
    const page = await repo.list({ limit: 2 });
    expect(requests).toEqual(['QueryCommand']);
    expect(page.items.map((c) => c.id)).toEqual([made[2]!.id, made[1]!.id]);
    const next = await repo.list({ limit: 2, cursor: page.nextCursor! });
    expect(next.items[0]!.id).toBe(made[0]!.id);
  });
});
