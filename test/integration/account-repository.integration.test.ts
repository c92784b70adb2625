import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountUseCases } from '../../domain/sales/account.use-cases.ts';
import { AccountCycleError, checkParent, DomainTakenError, patchAccount } from '../../domain/sales/account.ts';
import { CustomerBeingErasedError, StaleVersionError, UnknownCustomerError } from '../../domain/shared/errors.ts';
import { dynamoAccountTimeline } from '../../functions/sales/account-timeline.dynamodb.ts';
import { dynamoAccountRepository } from '../../functions/sales/account.dynamodb-repository.ts';
import { accountKey, contactKey, domainKey } from '../../functions/sales/account.keys.ts';
import { toInteractionItem } from '../../functions/customers/customer.keys.ts';
import { uuidIds } from '../../functions/shared/system.ts';
import { freshTable } from '../support/dynamodb.ts';
import { fakeClock } from '../support/fakes.ts';

// Accounts against DynamoDB Local: one transaction per write (account, domain pointer, outbox),
// the domain's uniqueness, the name prefix as one index query, contact links in the customer's
// partition under the erasure guard, and deletion that takes the links but never the customers.

let table: Awaited<ReturnType<typeof freshTable>>;
let accounts: ReturnType<typeof accountUseCases>;
const clock = fakeClock('2026-03-01T10:00:00.000Z');
const CTX = { correlationId: 'it' };
const agent = { id: 'agent-1', roles: ['agent'] };

const get = async (key: { pk: string; sk: string }) => (await table.client.send(new GetCommand({ TableName: table.tableName, Key: key, ConsistentRead: true }))).Item;
const outbox = async () => (await table.scanAll()).filter((i) => String(i.pk).startsWith('OUTBOX#')).map((i) => ({ type: i.detailType, data: JSON.parse(String(i.detail)).data }));
const profile = (id: string, extra: Record<string, unknown> = {}) =>
  table.client.send(new PutCommand({ TableName: table.tableName, Item: { pk: `CUSTOMER#${id}`, sk: 'PROFILE', id, version: 1, ...extra } }));

beforeAll(async () => {
  table = await freshTable();
  const db = { client: table.client, tableName: table.tableName, clock, ids: uuidIds };
  accounts = accountUseCases({ accounts: dynamoAccountRepository(db), timeline: dynamoAccountTimeline(db), clock, ids: uuidIds });
});
afterAll(async () => {
  await table?.drop();
});

describe('account repository on DynamoDB Local', () => {
  it('a creation writes the account (by-name index keys), its domain pointer and AccountCreated together; a taken domain writes nothing', async () => {
    const a = await accounts.create({ name: 'Umbrella Corp', domain: 'umbrella.example' }, agent, CTX);
    expect(await get(accountKey(a.id))).toMatchObject({ gsi1pk: 'ACCOUNTS', gsi1sk: `umbrella corp#${a.id}`, version: 1 });
    expect(await get(domainKey('umbrella.example'))).toMatchObject({ accountId: a.id });
    expect(await outbox()).toContainEqual({ type: 'AccountCreated', data: { accountId: a.id, ownerId: 'agent-1' } });
    const before = (await table.scanAll()).length;
    await expect(accounts.create({ name: 'Copy', domain: 'umbrella.example' }, agent, CTX)).rejects.toThrow(DomainTakenError);
    expect((await table.scanAll()).length).toBe(before);
  });

  it('moving the domain releases the old pointer in the same transaction', async () => {
    const a = await accounts.create({ name: 'Mover', domain: 'old-mover.example' }, agent, CTX);
    await accounts.patch(a.id, { domain: 'new-mover.example' }, 1, CTX);
    expect(await get(domainKey('old-mover.example'))).toBeUndefined();
    expect(await get(domainKey('new-mover.example'))).toMatchObject({ accountId: a.id });
  });

  it('two writers with the same If-Match: one wins, the other is 412', async () => {
    const a = await accounts.create({ name: 'Race' }, agent, CTX);
    const results = await Promise.allSettled([accounts.patch(a.id, { industry: 'A' }, 1, CTX), accounts.patch(a.id, { industry: 'B' }, 1, CTX)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.find((r) => r.status === 'rejected')?.reason).toBeInstanceOf(StaleVersionError);
    expect((await accounts.get(a.id)).version).toBe(2);
  });

  it('a re-parenting commits only if the chain it walked is unchanged: crossed re-parentings cannot close a loop', async () => {
    const a = await accounts.create({ name: 'Chain A' }, agent, CTX);
    const b = await accounts.create({ name: 'Chain B' }, agent, CTX);
    const repo = dynamoAccountRepository({ client: table.client, tableName: table.tableName, clock, ids: uuidIds });
    // Writer 1 walked B's chain (B at the top) to hang A under B; meanwhile writer 2 hangs B under A.
    const walked = await checkParent(a.id, b.id, repo.parentOf);
    expect(walked).toEqual([{ id: b.id, parent: null }]);
    await accounts.patch(b.id, { parentAccountId: a.id }, 1, CTX);
    const late = patchAccount(a, { parentAccountId: b.id }, clock.now());
    expect(await repo.save(late, a, [], CTX, walked)).toEqual({ refused: 'chain-moved' });
    expect((await accounts.get(a.id)).parentAccountId).toBeNull();
    // Through the use case, the retry walks again and sees the loop.
    await expect(accounts.patch(a.id, { parentAccountId: b.id }, undefined, CTX)).rejects.toThrow(AccountCycleError);
    // A chain whose top was deleted meanwhile is a moved chain too.
    const c = await accounts.create({ name: 'Chain C' }, agent, CTX);
    const d = await accounts.create({ name: 'Chain D' }, agent, CTX);
    const seen = await checkParent(d.id, c.id, repo.parentOf);
    await accounts.remove(c.id, 1);
    expect(await repo.save(patchAccount(d, { parentAccountId: c.id }, clock.now()), d, [], CTX, seen)).toEqual({ refused: 'chain-moved' });
  });

  it('the name prefix is case-insensitive and sorted by name', async () => {
    for (const name of ['Prefix b', 'prefix A', 'PREFIXED c', 'Other']) await accounts.create({ name }, agent, CTX);
    const page = await accounts.list({ limit: 10, q: 'PreFix' });
    expect(page.items.map((a) => a.name)).toEqual(['prefix A', 'Prefix b', 'PREFIXED c']);
  });

  it('a contact link lives in the customer partition (index keys for the account) under the erasure guard', async () => {
    const a = await accounts.create({ name: 'Linked' }, agent, CTX);
    await profile('cust-1');
    await accounts.putContact(a.id, 'cust-1', { role: 'buyer' });
    expect(await get(contactKey(a.id, 'cust-1'))).toMatchObject({ pk: 'CUSTOMER#cust-1', sk: `ACCOUNT#${a.id}`, gsi8pk: `CONTACTS#${a.id}`, gsi8sk: 'cust-1', data: { role: 'buyer' } });
    await expect(accounts.putContact(a.id, 'nobody', { role: 'buyer' })).rejects.toThrow(UnknownCustomerError);
    await profile('cust-erasing', { erasingSince: '2026-03-01T09:00:00.000Z' });
    await expect(accounts.putContact(a.id, 'cust-erasing', { role: 'buyer' })).rejects.toThrow(CustomerBeingErasedError);
    expect(await get(contactKey(a.id, 'cust-erasing'))).toBeUndefined();
    expect(await get(contactKey(a.id, 'nobody'))).toBeUndefined();
  });

  it("a timeline page costs 4 + N requests for N contacts, whatever page (README 'Timeline cost'), and pages through every contact's entries newest first", async () => {
    const a = await accounts.create({ name: 'Timeline Cost' }, agent, CTX);
    const contacts = ['tl-c1', 'tl-c2', 'tl-c3'];
    let minute = 0;
    for (const id of contacts) {
      await profile(id);
      await accounts.putContact(a.id, id, { role: 'buyer' });
      for (let i = 0; i < 2; i++) {
        const occurredAt = new Date(Date.UTC(2026, 1, 1, 10, ++minute)).toISOString();
        const entry = { kind: 'interaction' as const, id: `${id}-${i}`, customerId: id, anonymousId: null, channel: 'web' as const, type: 'visit', direction: null, occurredAt, recordedAt: occurredAt, summary: null, data: {}, value: null };
        await table.client.send(new PutCommand({ TableName: table.tableName, Item: toInteractionItem(entry) }));
      }
    }
    const sent: string[] = [];
    table.client.middlewareStack.add(
      (next, context) => async (args) => {
        sent.push(String(context.commandName));
        return next(args);
      },
      { step: 'initialize', name: 'countTimelineRequests' },
    );
    try {
      // Per page: GetItem (the account), Query (its contact ids), one Query per contact, and the
      // account's opportunities and activities (two index Queries) unless the reader may not see them.
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        sent.length = 0;
        const page = await accounts.timeline(a.id, { limit: 2, ...(cursor ? { cursor } : {}) }, []);
        expect(sent.filter((c) => c === 'GetItemCommand')).toHaveLength(1);
        expect(sent.filter((c) => c === 'QueryCommand')).toHaveLength(1 + contacts.length + 2);
        expect(sent).toHaveLength(4 + contacts.length);
        seen.push(...page.items.map((e) => e.id));
        cursor = page.nextCursor ?? undefined;
        pages++;
      } while (cursor && pages < 10);
      expect(seen).toEqual(['tl-c3-1', 'tl-c3-0', 'tl-c2-1', 'tl-c2-0', 'tl-c1-1', 'tl-c1-0']);
      sent.length = 0;
      await accounts.timeline(a.id, { limit: 2 }, ['opportunity', 'activity']);
      expect(sent).toHaveLength(2 + contacts.length);
    } finally {
      table.client.middlewareStack.remove('countTimelineRequests');
    }
  });

  it('deleting an account removes it, its pointer and its links; the customers stay', async () => {
    const a = await accounts.create({ name: 'Doomed', domain: 'doomed.example' }, agent, CTX);
    await profile('cust-2');
    await profile('cust-3');
    await accounts.putContact(a.id, 'cust-2', { role: 'buyer' });
    await accounts.putContact(a.id, 'cust-3', { role: 'user' });
    await accounts.remove(a.id, 1);
    expect(await get(accountKey(a.id))).toBeUndefined();
    expect(await get(domainKey('doomed.example'))).toBeUndefined();
    expect(await get(contactKey(a.id, 'cust-2'))).toBeUndefined();
    expect(await get(contactKey(a.id, 'cust-3'))).toBeUndefined();
    expect(await get({ pk: 'CUSTOMER#cust-2', sk: 'PROFILE' })).toBeDefined();
  });
});
