import { beforeEach, describe, expect, it } from 'vitest';
import { customerUseCases } from '../../domain/customers/customer.use-cases.ts';
import {
  ConcurrentUpdateError,
  ConflictError,
  CustomerMergedError,
  CustomerNotFoundError,
  EmailTakenError,
  IdempotencyKeyReusedError,
  IdentityTakenError,
  StaleVersionError,
  UnprocessableError,
  ValidationError,
} from '../../domain/shared/errors.ts';
import type { CommandContext } from '../../domain/shared/ports.ts';
import { CustomerCreated } from '../../events/customer-created.event.ts';
import { CustomerErased } from '../../events/customer-erased.event.ts';
import { CustomerIdentityLinked } from '../../events/customer-identity-linked.event.ts';
import { CustomersMerged } from '../../events/customers-merged.event.ts';
import { CustomerUpdated } from '../../events/customer-updated.event.ts';
import { type FakeClock, type FakeCustomerRepository, fakeClock, fakeCustomerRepository, sequentialIds } from '../support/fakes.ts';

const ctx: CommandContext = { correlationId: 'corr-1' };

let repo: FakeCustomerRepository;
let clock: FakeClock;
let useCases: ReturnType<typeof customerUseCases>;

beforeEach(() => {
  clock = fakeClock('2025-01-15T09:00:00.000Z');
  repo = fakeCustomerRepository({ clock });
  useCases = customerUseCases({ customers: repo, clock, ids: sequentialIds('c') });
});

const create = (email: string, extra: Record<string, unknown> = {}) =>
  useCases.create({ email, ...extra }, ctx).then((outcome) => outcome.customer);

describe('create', () => {
  it('stores the customer with a generated id and commits CustomerCreated with it', async () => {
    const outcome = await useCases.create({ email: 'ada@example.com', firstName: 'Ada' }, ctx);
    expect(outcome.replayed).toBe(false);
    expect(outcome.customer).toMatchObject({ id: 'c-0001', email: 'ada@example.com', version: 1 });
    expect(await repo.get('c-0001')).toEqual(outcome.customer);
    expect(repo.commits).toEqual([
      { operation: 'create', customerId: 'c-0001', events: [expect.objectContaining({ definition: CustomerCreated })], context: ctx },
    ]);
  });

  it('rejects a second customer with the same email with EmailTakenError and stores nothing', async () => {
    await create('ada@example.com');
    await expect(create('ada@example.com')).rejects.toBeInstanceOf(EmailTakenError);
    expect(repo.size).toBe(1);
    expect(repo.events).toHaveLength(1);
  });

  it('replays the first result for a repeated idempotency claim and refuses the key with another fingerprint', async () => {
    const claim = { scope: 'user|POST /customers', key: 'k-1', fingerprint: 'f-1' };
    const first = await useCases.create({ email: 'ada@example.com' }, { ...ctx, idempotency: claim });
    const again = await useCases.create({ email: 'ada@example.com' }, { ...ctx, idempotency: claim });
    expect(again).toEqual({ customer: first.customer, replayed: true });
    expect(repo.size).toBe(1);
    await expect(
      useCases.create({ email: 'other@example.com' }, { ...ctx, idempotency: { ...claim, fingerprint: 'f-2' } }),
    ).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
    expect(repo.size).toBe(1);
  });
});

describe('get and list', () => {
  it('get of an unknown id throws CustomerNotFoundError', async () => {
    await expect(useCases.get('missing')).rejects.toBeInstanceOf(CustomerNotFoundError);
  });

  it('lists newest first and pages with the cursor until nextCursor is null', async () => {
    for (const email of ['a@x.example', 'b@x.example', 'c@x.example', 'd@x.example', 'e@x.example']) {
      await create(email);
      clock.advance(1000);
    }
    const first = await useCases.list({ limit: 2 });
    const second = await useCases.list({ limit: 2, cursor: first.nextCursor! });
    const third = await useCases.list({ limit: 2, cursor: second.nextCursor! });
    expect([first, second, third].map((p) => p.items.map((c) => c.email[0]))).toEqual([['e', 'd'], ['c', 'b'], ['a']]);
    expect(first.nextCursor).toEqual(expect.any(String));
    expect(third.nextCursor).toBeNull();
  });

  it('filters by tag and looks up by email', async () => {
    await create('a@x.example', { tags: ['vip'] });
    await create('b@x.example', { tags: ['beta'] });
    await create('c@x.example', { tags: ['vip', 'beta'] });
    expect((await useCases.list({ limit: 10, tag: 'vip' })).items.map((c) => c.email)).toEqual(['c@x.example', 'a@x.example']);
    expect((await useCases.list({ limit: 10, email: 'b@x.example' })).items.map((c) => c.id)).toEqual(['c-0002']);
    expect(await useCases.list({ limit: 10, email: 'nobody@x.example' })).toEqual({ items: [], nextCursor: null });
  });
});

describe('patch', () => {
  it('applies the patch when If-Match names the current version', async () => {
    const ada = await create('ada@example.com');
    clock.advance(60_000);
    const updated = await useCases.patch(ada.id, { firstName: 'Ada' }, 1, ctx);
    expect(updated).toMatchObject({ firstName: 'Ada', version: 2, updatedAt: '2025-01-15T09:01:00.000Z' });
    expect(await repo.get(ada.id)).toEqual(updated);
    expect(repo.events.map((e) => [e.definition, e.data])).toEqual([
      [CustomerCreated, expect.anything()],
      [CustomerUpdated, { customerId: ada.id, changed: ['firstName'], version: 2 }],
    ]);
  });

  it('throws StaleVersionError for a stale If-Match and writes nothing', async () => {
    const ada = await create('ada@example.com');
    await useCases.patch(ada.id, { firstName: 'Ada' }, undefined, ctx);
    await expect(useCases.patch(ada.id, { lastName: 'Lovelace' }, 1, ctx)).rejects.toBeInstanceOf(StaleVersionError);
    expect(await repo.get(ada.id)).toMatchObject({ lastName: null, version: 2 });
    expect(repo.commits).toHaveLength(2);
  });

  it('without If-Match, retries after losing a race so both writers\' changes land', async () => {
    const ada = await create('ada@example.com');
    repo.beforeNextWrite(() => useCases.patch(ada.id, { lastName: 'Lovelace' }, undefined, { correlationId: 'other' }).then(() => undefined));
    const result = await useCases.patch(ada.id, { firstName: 'Ada' }, undefined, ctx);
    expect(result).toMatchObject({ firstName: 'Ada', lastName: 'Lovelace', version: 3 });
    expect(await repo.get(ada.id)).toEqual(result);
    expect(repo.commits.map((c) => c.context.correlationId)).toEqual(['corr-1', 'other', 'corr-1']);
  });

  it('without If-Match, retries when the repository reports ConcurrentUpdateError once', async () => {
    const ada = await create('ada@example.com');
    repo.failNext('update', new ConcurrentUpdateError());
    const result = await useCases.patch(ada.id, { tags: ['vip'] }, undefined, ctx);
    expect(result).toMatchObject({ tags: ['vip'], version: 2 });
    expect(await repo.get(ada.id)).toMatchObject({ tags: ['vip'], version: 2 });
  });

  it('with If-Match, a lost race is not retried but reported as StaleVersionError', async () => {
    const ada = await create('ada@example.com');
    repo.beforeNextWrite(async () => {
      await useCases.patch(ada.id, { lastName: 'Lovelace' }, undefined, { correlationId: 'other' });
    });
    await expect(useCases.patch(ada.id, { firstName: 'Ada' }, 1, ctx)).rejects.toBeInstanceOf(StaleVersionError);
    expect(await repo.get(ada.id)).toMatchObject({ firstName: null, lastName: 'Lovelace', version: 2 });
    expect(repo.commits.map((c) => c.context.correlationId)).toEqual(['corr-1', 'other']);
  });

  it('gives up with ConcurrentUpdateError after a bounded number of lost races', async () => {
    const ada = await create('ada@example.com');
    let interference = 0;
    // A writer that wins every race, for up to 1000 rounds (then the patch would get through).
    const interfere = async () => {
      interference++;
      const current = (await repo.get(ada.id))!;
      await repo.update(current, { ...current, version: current.version + 1 }, [], { correlationId: 'other' });
      if (interference < 1000) repo.beforeNextWrite(interfere);
    };
    repo.beforeNextWrite(interfere);
    await expect(useCases.patch(ada.id, { firstName: 'Ada' }, undefined, ctx)).rejects.toBeInstanceOf(ConcurrentUpdateError);
    expect(interference).toBeGreaterThan(1);
    expect(interference).toBeLessThan(1000);
    expect(await repo.get(ada.id)).toMatchObject({ firstName: null });
  });

  it('a no-op patch returns the stored customer and commits nothing', async () => {
    const ada = await create('ada@example.com', { firstName: 'Ada' });
    expect(await useCases.patch(ada.id, { firstName: 'Ada' }, 1, ctx)).toEqual(ada);
    expect(repo.commits).toHaveLength(1);
  });

  it('rejects changing the email to one another customer uses', async () => {
    await create('ada@example.com');
    const grace = await create('grace@example.com');
    await expect(useCases.patch(grace.id, { email: 'ada@example.com' }, undefined, ctx)).rejects.toBeInstanceOf(EmailTakenError);
    expect(await repo.get(grace.id)).toMatchObject({ email: 'grace@example.com', version: 1 });
  });

  it('throws CustomerNotFoundError for an unknown id', async () => {
    await expect(useCases.patch('nope', { firstName: 'X' }, undefined, ctx)).rejects.toBeInstanceOf(CustomerNotFoundError);
  });
});

describe('erase', () => {
  it('removes the profile, commits CustomerErased, keeps only anonymous stats and frees the email', async () => {
    const ada = await create('ada@example.com');
    await useCases.erase(ada.id, 1, ctx);
    expect(await repo.get(ada.id)).toBeUndefined();
    expect(repo.erasureOf(ada.id)).toEqual({ erasedAt: clock.now().toISOString(), stats: ada.stats });
    expect(repo.commits.at(-1)).toMatchObject({ operation: 'erase', customerId: ada.id });
    expect(repo.events.at(-1)).toMatchObject({ definition: CustomerErased, data: { customerId: ada.id } });
    await expect(create('ada@example.com')).resolves.toMatchObject({ email: 'ada@example.com' });
  });

  it('throws StaleVersionError for a stale If-Match and keeps the customer', async () => {
    const ada = await create('ada@example.com');
    await useCases.patch(ada.id, { firstName: 'Ada' }, undefined, ctx);
    await expect(useCases.erase(ada.id, 1, ctx)).rejects.toBeInstanceOf(StaleVersionError);
    expect(await repo.get(ada.id)).toBeDefined();
  });

  it('throws CustomerNotFoundError for an unknown id', async () => {
    await expect(useCases.erase('nope', undefined, ctx)).rejects.toBeInstanceOf(CustomerNotFoundError);
  });

  it('retries when a concurrent write lands first (no If-Match) and still erases', async () => {
    const ada = await create('ada@example.com');
    repo.beforeNextWrite(() => useCases.patch(ada.id, { firstName: 'Late' }, undefined, { correlationId: 'other' }).then(() => undefined));
    await useCases.erase(ada.id, undefined, ctx);
    expect(await repo.get(ada.id)).toBeUndefined();
  });

  it('is stale (412), not a conflict, when If-Match was given and a write lands first', async () => {
    const ada = await create('ada@example.com');
    repo.beforeNextWrite(() => useCases.patch(ada.id, { firstName: 'Late' }, undefined, { correlationId: 'other' }).then(() => undefined));
    await expect(useCases.erase(ada.id, 1, ctx)).rejects.toBeInstanceOf(StaleVersionError);
    expect(await repo.get(ada.id)).toMatchObject({ firstName: 'Late' });
  });
});

describe('identities', () => {
  it('a new customer owns its email as an identity', async () => {
    const ada = await create('ada@example.com');
    expect(await useCases.identities(ada.id)).toEqual([{ type: 'email', value: 'ada@example.com', customerId: ada.id, linkedAt: ada.createdAt }]);
  });

  it('links a new identity with CustomerIdentityLinked naming only its type; linking it again is a no-op', async () => {
    const ada = await create('ada@example.com');
    const first = await useCases.linkIdentity(ada.id, { type: 'externalId', value: 'shop-42' }, ctx);
    expect(first).toEqual({ identity: { type: 'externalId', value: 'shop-42', customerId: ada.id, linkedAt: clock.now().toISOString() }, created: true });
    expect(repo.events.at(-1)).toMatchObject({ definition: CustomerIdentityLinked, data: { customerId: ada.id, identityType: 'externalId' } });
    expect(JSON.stringify(repo.events.map((e) => e.data))).not.toContain('shop-42');
    const again = await useCases.linkIdentity(ada.id, { type: 'externalId', value: 'shop-42' }, ctx);
    expect(again.created).toBe(false);
    expect(repo.events).toHaveLength(2);
  });

  it("refuses another customer's identity, the email included", async () => {
    await create('ada@example.com');
    const grace = await create('grace@example.com');
    await expect(useCases.linkIdentity(grace.id, { type: 'email', value: 'ada@example.com' }, ctx)).rejects.toBeInstanceOf(IdentityTakenError);
  });

  it('finds a customer by any identity through list', async () => {
    const ada = await create('ada@example.com');
    await useCases.linkIdentity(ada.id, { type: 'phone', value: '+4915112345678' }, ctx);
    expect((await useCases.list({ limit: 10, identity: { type: 'phone', value: '+4915112345678' } })).items.map((c) => c.id)).toEqual([ada.id]);
  });
});

describe('merge', () => {
  it('moves identities, timeline and stats to the target and leaves the source pointing at it', async () => {
    const target = await create('ada@example.com');
    const source = await create('ada.l@example.com', { firstName: 'Ada', tags: ['poetry'] });
    await useCases.linkIdentity(source.id, { type: 'externalId', value: 'shop-42' }, ctx);
    const merged = await useCases.merge(target.id, source.id, ctx);
    expect(merged).toMatchObject({ id: target.id, firstName: 'Ada', tags: ['poetry'], version: 2 });
    expect(await repo.get(source.id)).toMatchObject({ mergedInto: target.id, email: '' });
    expect((await useCases.identities(target.id)).map((i) => `${i.type}:${i.value}`).sort()).toEqual([
      'email:ada.l@example.com',
      'email:ada@example.com',
      'externalId:shop-42',
    ]);
    expect(repo.events.at(-1)).toMatchObject({ definition: CustomersMerged, data: { targetId: target.id, sourceId: source.id } });
    expect((await useCases.list({ limit: 10 })).items.map((c) => c.id)).toEqual([target.id]);
  });

  it('refuses writes to a merged customer with CustomerMergedError naming the target', async () => {
    const target = await create('ada@example.com');
    const source = await create('ada.l@example.com');
    await useCases.merge(target.id, source.id, ctx);
    const refused = useCases.patch(source.id, { firstName: 'X' }, undefined, ctx);
    await expect(refused).rejects.toBeInstanceOf(CustomerMergedError);
    await expect(refused).rejects.toMatchObject({ targetId: target.id });
  });

  it('is idempotent: merging the same source again returns the target unchanged', async () => {
    const target = await create('ada@example.com');
    const source = await create('ada.l@example.com');
    const first = await useCases.merge(target.id, source.id, ctx);
    expect(await useCases.merge(target.id, source.id, ctx)).toEqual(first);
    expect(repo.events.filter((e) => e.definition === CustomersMerged)).toHaveLength(1);
  });

  it('refuses merging a customer into itself, an unknown source, and a source merged elsewhere', async () => {
    const a = await create('a@example.com');
    const b = await create('b@example.com');
    const c = await create('c@example.com');
    await expect(useCases.merge(a.id, a.id, ctx)).rejects.toBeInstanceOf(ValidationError);
    await expect(useCases.merge(a.id, 'nope', ctx)).rejects.toBeInstanceOf(UnprocessableError);
    await useCases.merge(b.id, c.id, ctx);
    await expect(useCases.merge(a.id, c.id, ctx)).rejects.toBeInstanceOf(ConflictError);
  });

  it('retries when the target changed between read and commit, keeping both changes', async () => {
    const target = await create('ada@example.com');
    const source = await create('ada.l@example.com', { tags: ['poetry'] });
    repo.beforeNextWrite(() => useCases.patch(target.id, { lastName: 'Lovelace' }, undefined, { correlationId: 'other' }));
    const merged = await useCases.merge(target.id, source.id, ctx);
    expect(merged).toMatchObject({ lastName: 'Lovelace', tags: ['poetry'], version: 3 });
    expect(await repo.get(target.id)).toMatchObject({ lastName: 'Lovelace', tags: ['poetry'], version: 3 });
  });
});

describe('exportData', () => {
  it('returns the customer, its identities and interactions, stamped with the time of export', async () => {
    const ada = await create('ada@example.com');
    const exported = await useCases.exportData(ada.id);
    expect(exported).toEqual({
      exportedAt: clock.now().toISOString(),
      customer: ada,
      identities: [expect.objectContaining({ type: 'email' })],
      interactions: [],
      cases: [],
      consents: [],
      emails: [],
      // Sales data about the person, as the repository reads it (none here).
      accounts: [],
      ownedProducts: [],
      leads: [],
    });
  });
});
