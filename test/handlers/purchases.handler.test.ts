import { describe, expect, it, vi } from 'vitest';
import { type SalesMergeStore, salesMergeConsumer } from '../../domain/sales/customer-merge.use-cases.ts';
import type { Contact } from '../../domain/sales/account.schema.ts';
import { purchaseConsumer } from '../../domain/sales/purchases.use-cases.ts';
import { purchasesHandler } from '../../functions/sales/purchases.handler.ts';

// The purchases consumer's edge: the event parsed, the interaction's data read, purchases it
// understands passed on once with their source, anything else left alone (and logged), never thrown.

const event = (data: Record<string, unknown>) => ({
  version: '0',
  id: 'e1',
  'detail-type': 'InteractionRecorded',
  source: 'crm.customers',
  account: '1',
  time: '2026-12-01T10:00:00Z',
  region: 'eu-west-1',
  resources: [],
  detail: {
    metadata: { eventId: 'ev-1', version: 1, occurredAt: '2026-12-01T10:00:00.000Z', correlationId: 'corr-1', causationId: null, idempotencyKey: 'ev-1' },
    data: { customerId: 'c1', interactionId: 'i1', channel: 'web', type: 'purchase', occurredAt: '2026-12-01T09:59:00.000Z', ...data },
  },
});

function consumerWith(data: unknown) {
  const recordPurchase = vi.fn(async () => 'recorded' as const);
  const dataOf = vi.fn(async () => data);
  const merges = salesMergeConsumer(fakeMergeStore().store);
  return { recordPurchase, dataOf, handler: purchasesHandler(purchaseConsumer({ interactions: { dataOf }, products: { recordPurchase } }), merges) };
}

/** The sales items a merge moves, in memory: links by (account, customer), owned sets with versions, writable customers. */
function fakeMergeStore() {
  const links = new Map<string, Contact>();
  const owned = new Map<string, { skus: Set<string>; version: number }>();
  const writable = new Set<string>();
  const accounts = new Set<string>();
  const key = (accountId: string, customerId: string) => `${accountId}|${customerId}`;
  const store: SalesMergeStore = {
    async linksOf(customerId) {
      return [...links.values()].filter((l) => l.customerId === customerId);
    },
    async moveLink(link, targetId) {
      if (!writable.has(targetId)) return 'target-gone';
      const moved = accounts.has(link.accountId) && !links.has(key(link.accountId, targetId));
      if (moved) links.set(key(link.accountId, targetId), { ...link, customerId: targetId });
      links.delete(key(link.accountId, link.customerId));
      return moved ? 'moved' : 'target-kept';
    },
    async owned(customerId) {
      const set = owned.get(customerId);
      return { skus: new Set(set?.skus ?? []), version: set?.version ?? 0 };
    },
    async mergeOwned({ sourceId, source, targetId, target, skus }) {
      if (!writable.has(targetId)) return 'target-gone';
      if ((owned.get(targetId)?.version ?? 0) !== target.version || (owned.get(sourceId)?.version ?? 0) !== source.version) return 'changed';
      owned.set(targetId, { skus: new Set(skus), version: target.version + 1 });
      owned.delete(sourceId);
      return 'merged';
    },
  };
  return { store, links, owned, writable, accounts, key };
}

const mergedEvent = (targetId: string, sourceId: string) => ({
  ...event({}),
  'detail-type': 'CustomersMerged',
  detail: { metadata: event({}).detail.metadata, data: { targetId, sourceId } },
});

describe('sales consumer of CustomersMerged', () => {
  function setUp() {
    const fake = fakeMergeStore();
    const handler = purchasesHandler(purchaseConsumer({ interactions: { dataOf: vi.fn() }, products: { recordPurchase: vi.fn() } }), salesMergeConsumer(fake.store));
    for (const id of ['acc-1', 'acc-2']) fake.accounts.add(id);
    fake.writable.add('A');
    const at = '2026-11-01T00:00:00.000Z';
    fake.links.set(fake.key('acc-1', 'B'), { accountId: 'acc-1', customerId: 'B', role: 'buyer', addedAt: at });
    fake.links.set(fake.key('acc-2', 'B'), { accountId: 'acc-2', customerId: 'B', role: 'buyer', addedAt: at });
    fake.links.set(fake.key('acc-2', 'A'), { accountId: 'acc-2', customerId: 'A', role: 'ceo', addedAt: at });
    fake.owned.set('A', { skus: new Set(['X']), version: 3 });
    fake.owned.set('B', { skus: new Set(['Y', 'X']), version: 1 });
    return { ...fake, handler };
  }

  it("moves the source's links (the target's own role stays) and adds its owned skus to the target's; twice is the same", async () => {
    const { handler, links, owned } = setUp();
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    expect(await handler(mergedEvent('A', 'B') as never)).toBe('merged');
    const state = () => ({ links: [...links.values()].map((l) => `${l.accountId}:${l.customerId}:${l.role}`).sort(), owned: Object.fromEntries([...owned].map(([id, o]) => [id, [[...o.skus].sort(), o.version]])) });
    const after = state();
    expect(after).toEqual({ links: ['acc-1:A:buyer', 'acc-2:A:ceo'], owned: { A: [['X', 'Y'], 4] } });
    expect(await handler(mergedEvent('A', 'B') as never)).toBe('merged');
    expect(state()).toEqual(after);
    log.mockRestore();
  });

  it('stops when the target cannot take personal data (being erased): what stayed goes with its erasure', async () => {
    const { handler, writable, links, owned } = setUp();
    writable.delete('A');
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    expect(await handler(mergedEvent('A', 'B') as never)).toBe('target-gone');
    expect([...links.values()].filter((l) => l.customerId === 'B')).toHaveLength(2);
    expect(owned.get('B')?.version).toBe(1);
    log.mockRestore();
  });

  it('throws on a CustomersMerged whose data is malformed (retried, then dead-lettered)', async () => {
    const { handler } = setUp();
    await expect(handler({ ...mergedEvent('A', 'B'), detail: { metadata: event({}).detail.metadata, data: { targetId: 'A' } } } as never)).rejects.toThrow();
  });
});

describe('purchases handler', () => {
  it('reads the interaction by its timeline key and records its skus once per interaction', async () => {
    const { handler, dataOf, recordPurchase } = consumerWith({ orderId: 'o-1', items: [{ sku: 'A', quantity: 2, unitPrice: 5 }, { sku: 'B', quantity: 1, unitPrice: 3 }] });
    expect(await handler(event({}))).toBe('recorded');
    expect(dataOf).toHaveBeenCalledWith('c1', '2026-12-01T09:59:00.000Z', 'i1');
    expect(recordPurchase).toHaveBeenCalledWith('c1', ['A', 'B'], { kind: 'interaction', interactionId: 'i1', orderId: 'o-1' }, { correlationId: 'corr-1' });
  });

  it('leaves malformed purchases and vanished interactions alone, without throwing (no retry)', async () => {
    const log = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    for (const data of [{ items: [] }, { items: 'A' }, { items: [{ sku: '' }] }, { items: [{ sku: 'A', quantity: -1 }] }]) {
      const { handler, recordPurchase } = consumerWith(data);
      expect(await handler(event({}))).toBe('malformed');
      expect(recordPurchase).not.toHaveBeenCalled();
    }
    const gone = consumerWith(undefined);
    expect(await gone.handler(event({}))).toBe('interaction-gone');
    expect(log.mock.calls.some(([line]) => String(line).includes('"level":"warn"') && String(line).includes('malformed'))).toBe(true);
    log.mockRestore();
  });

  it('leaves a purchase without order lines (a value only) alone as not a product purchase, logged at debug level', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    for (const data of [{ amount: 29.33 }, { amount: 12, currency: 'USD' }, {}, null, 'text']) {
      const { handler, recordPurchase } = consumerWith(data);
      expect(await handler(event({}))).toBe('not-a-product-purchase');
      expect(recordPurchase).not.toHaveBeenCalled();
    }
    const lines = log.mock.calls.map(([line]) => JSON.parse(String(line)));
    expect(lines).toHaveLength(5);
    for (const line of lines) expect(line).toMatchObject({ level: 'debug', message: 'purchase', outcome: 'not-a-product-purchase' });
    log.mockRestore();
  });

  it('throws on an event that is not an InteractionRecorded (EventBridge retries, then dead-letters)', async () => {
    const { handler } = consumerWith({});
    await expect(handler({ ...event({}), detail: { data: {} } } as never)).rejects.toThrow();
  });
});
