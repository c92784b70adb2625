import { beforeEach, describe, expect, it } from 'vitest';
import { customerUseCases } from '../../domain/customers/customer.use-cases.ts';
import { interactionUseCases } from '../../domain/customers/interaction.use-cases.ts';
import { MAX_FUTURE_MS } from '../../domain/customers/interaction.schema.ts';
import { CustomerMergedError, CustomerNotFoundError, ValidationError } from '../../domain/shared/errors.ts';
import { type FakeClock, type FakeCustomerRepository, fakeClock, fakeCustomerRepository, sequentialIds } from '../support/fakes.ts';

const ctx = { correlationId: 'corr-1' };

let clock: FakeClock;
let repo: FakeCustomerRepository;
let customers: ReturnType<typeof customerUseCases>;
let interactions: ReturnType<typeof interactionUseCases>;

beforeEach(() => {
  clock = fakeClock('2025-01-15T09:00:00.000Z');
  repo = fakeCustomerRepository({ clock });
  const ports = { customers: repo, clock, ids: sequentialIds('x') };
  customers = customerUseCases(ports);
  interactions = interactionUseCases(ports);
});

const create = async (email: string) => (await customers.create({ email }, ctx)).customer;

describe('recordOne', () => {
  it('puts the interaction on the timeline, stamped now unless it says when, and counts it in the stats', async () => {
    const ada = await create('ada@example.com');
    const recorded = await interactions.recordOne(ada.id, { channel: 'web', type: 'page_view', data: { path: '/pricing' } });
    expect(recorded).toEqual({
      kind: 'interaction',
      id: expect.any(String),
      customerId: ada.id,
      anonymousId: null,
      channel: 'web',
      type: 'page_view',
      direction: null,
      occurredAt: '2025-01-15T09:00:00.000Z',
      recordedAt: '2025-01-15T09:00:00.000Z',
      summary: null,
      data: { path: '/pricing' },
      value: null,
    });
    expect((await interactions.timeline(ada.id, { limit: 10 })).items).toEqual([recorded]);
    expect((await customers.get(ada.id)).stats).toMatchObject({ interactionCount: 1, lastChannel: 'web', lastInteractionAt: recorded.occurredAt });
  });

  it('normalises occurredAt with an offset to UTC', async () => {
    const ada = await create('ada@example.com');
    const recorded = await interactions.recordOne(ada.id, { channel: 'phone', type: 'call', occurredAt: '2025-01-15T10:30:00+02:00' });
    expect(recorded.occurredAt).toBe('2025-01-15T08:30:00.000Z');
  });

  it(`accepts an occurredAt up to ${MAX_FUTURE_MS / 60000} minutes ahead (device clock skew) and refuses later ones`, async () => {
    const ada = await create('ada@example.com');
    const at = (ms: number) => new Date(clock.now().getTime() + ms).toISOString();
    await expect(interactions.recordOne(ada.id, { channel: 'web', type: 'click', occurredAt: at(MAX_FUTURE_MS) })).resolves.toBeDefined();
    const late = interactions.recordOne(ada.id, { channel: 'web', type: 'click', occurredAt: at(MAX_FUTURE_MS + 1000) });
    await expect(late).rejects.toBeInstanceOf(ValidationError);
    await expect(late).rejects.toMatchObject({ issues: [{ path: 'occurredAt' }] });
  });

  it('adds purchases and subtracts refunds per currency', async () => {
    const ada = await create('ada@example.com');
    await interactions.recordOne(ada.id, { channel: 'store', type: 'purchase', value: { amount: 19.99, currency: 'EUR' } });
    await interactions.recordOne(ada.id, { channel: 'store', type: 'purchase', value: { amount: 0.01, currency: 'EUR' } });
    await interactions.recordOne(ada.id, { channel: 'web', type: 'purchase', value: { amount: 5, currency: 'USD' } });
    await interactions.recordOne(ada.id, { channel: 'store', type: 'refund', value: { amount: 5, currency: 'EUR' } });
    expect((await customers.get(ada.id)).stats).toMatchObject({ interactionCount: 4, purchaseCount: 3, totalSpent: { EUR: 15, USD: 5 } });
  });

  it('counts both of two concurrent interactions: the one that lost the race re-reads and retries', async () => {
    const ada = await create('ada@example.com');
    repo.beforeNextWrite(() => interactions.recordOne(ada.id, { channel: 'email', type: 'open' }));
    await interactions.recordOne(ada.id, { channel: 'web', type: 'click' });
    expect((await customers.get(ada.id)).stats.interactionCount).toBe(2);
    expect((await interactions.timeline(ada.id, { limit: 10 })).items).toHaveLength(2);
  });

  it('refuses an unknown customer and a merged one', async () => {
    await expect(interactions.recordOne('nope', { channel: 'web', type: 'click' })).rejects.toBeInstanceOf(CustomerNotFoundError);
    const target = await create('ada@example.com');
    const source = await create('ada.l@example.com');
    await customers.merge(target.id, source.id, ctx);
    await expect(interactions.recordOne(source.id, { channel: 'web', type: 'click' })).rejects.toBeInstanceOf(CustomerMergedError);
  });
});

describe('recordBatch', () => {
  it('answers one result per item, in order, each created or refused on its own', async () => {
    const ada = await create('ada@example.com');
    const future = new Date(clock.now().getTime() + MAX_FUTURE_MS + 60_000).toISOString();
    const results = await interactions.recordBatch([
      { customerId: ada.id, channel: 'web', type: 'click' },
      { email: 'ADA@example.com', channel: 'email', type: 'open' },
      { anonymousId: 'anon-1', channel: 'web', type: 'page_view' },
      { customerId: ada.id, email: 'ada@example.com', channel: 'web', type: 'click' },
      { customerId: 'nobody', channel: 'web', type: 'click' },
      { customerId: ada.id, channel: 'fax', type: 'click' },
      { customerId: ada.id, channel: 'web', type: 'click', occurredAt: future },
    ]);
    expect(results.map((r) => [r.index, r.status, r.status === 'error' ? r.error.kind : r.customerId])).toEqual([
      [0, 'created', ada.id],
      [1, 'created', ada.id],
      [2, 'created', null],
      [3, 'error', 'validation'],
      [4, 'error', 'not_found'],
      [5, 'error', 'validation'],
      [6, 'error', 'validation'],
    ]);
    expect(results[5]).toMatchObject({ error: { issues: [{ path: 'channel' }] } });
    expect((await customers.get(ada.id)).stats.interactionCount).toBe(2);
    expect(repo.interactions).toHaveLength(3);
  });

  it('credits interactions naming a merged customer to the customer it became', async () => {
    const target = await create('ada@example.com');
    const source = await create('ada.l@example.com');
    await customers.merge(target.id, source.id, ctx);
    const [result] = await interactions.recordBatch([{ customerId: source.id, channel: 'web', type: 'click' }]);
    expect(result).toMatchObject({ status: 'created', customerId: target.id });
    expect((await customers.get(target.id)).stats.interactionCount).toBe(1);
  });

  it('keeps anonymous interactions aside until the anonymousId is linked, then adopts them into timeline and stats', async () => {
    await interactions.recordBatch([
      { anonymousId: 'anon-7', channel: 'web', type: 'page_view' },
      { anonymousId: 'anon-7', channel: 'web', type: 'add_to_cart' },
    ]);
    const ada = await create('ada@example.com');
    expect((await interactions.timeline(ada.id, { limit: 10 })).items).toEqual([]);
    await customers.linkIdentity(ada.id, { type: 'anonymousId', value: 'anon-7' }, ctx);
    const timeline = await interactions.timeline(ada.id, { limit: 10 });
    expect(timeline.items.map((i) => [i.type, i.customerId])).toEqual(
      expect.arrayContaining([
        ['page_view', ada.id],
        ['add_to_cart', ada.id],
      ]),
    );
    expect((await customers.get(ada.id)).stats.interactionCount).toBe(2);
    const [later] = await interactions.recordBatch([{ anonymousId: 'anon-7', channel: 'web', type: 'checkout' }]);
    expect(later).toMatchObject({ status: 'created', customerId: ada.id });
  });
});

describe('timeline', () => {
  it('lists newest first, filters by channel and type, and pages with a cursor', async () => {
    const ada = await create('ada@example.com');
    for (const [channel, type] of [['web', 'click'], ['email', 'open'], ['web', 'click'], ['web', 'purchase']] as const) {
      clock.advance(60_000);
      await interactions.recordOne(ada.id, { channel, type });
    }
    const all = await interactions.timeline(ada.id, { limit: 10 });
    expect(all.items.map((i) => i.type)).toEqual(['purchase', 'click', 'open', 'click']);
    expect((await interactions.timeline(ada.id, { limit: 10, channel: 'web', type: 'click' })).items).toHaveLength(2);
    const first = await interactions.timeline(ada.id, { limit: 3 });
    const second = await interactions.timeline(ada.id, { limit: 3, cursor: first.nextCursor! });
    expect([...first.items, ...second.items]).toEqual(all.items);
    expect(second.nextCursor).toBeNull();
  });

  it('throws CustomerNotFoundError for an unknown customer', async () => {
    await expect(interactions.timeline('nope', { limit: 10 })).rejects.toBeInstanceOf(CustomerNotFoundError);
  });
});
