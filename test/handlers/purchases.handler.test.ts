import { describe, expect, it, vi } from 'vitest';
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
  return { recordPurchase, dataOf, handler: purchasesHandler(purchaseConsumer({ interactions: { dataOf }, products: { recordPurchase } })) };
}

describe('purchases handler', () => {
  it('reads the interaction by its timeline key and records its skus once per interaction', async () => {
    const { handler, dataOf, recordPurchase } = consumerWith({ orderId: 'o-1', items: [{ sku: 'A', quantity: 2, unitPrice: 5 }, { sku: 'B', quantity: 1, unitPrice: 3 }] });
    expect(await handler(event({}))).toBe('recorded');
    expect(dataOf).toHaveBeenCalledWith('c1', '2026-12-01T09:59:00.000Z', 'i1');
    expect(recordPurchase).toHaveBeenCalledWith('c1', ['A', 'B'], { kind: 'interaction', interactionId: 'i1', orderId: 'o-1' }, { correlationId: 'corr-1' });
  });

  it('leaves malformed purchases and vanished interactions alone, without throwing (no retry)', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    for (const data of [{}, { items: [] }, { items: 'A' }, { items: [{ sku: '' }] }, { items: [{ sku: 'A', quantity: -1 }] }]) {
      const { handler, recordPurchase } = consumerWith(data);
      expect(await handler(event({}))).toBe('malformed');
      expect(recordPurchase).not.toHaveBeenCalled();
    }
    const gone = consumerWith(undefined);
    expect(await gone.handler(event({}))).toBe('interaction-gone');
    expect(log.mock.calls.some(([line]) => String(line).includes('"level":"warn"') && String(line).includes('malformed'))).toBe(true);
    log.mockRestore();
  });

  it('throws on an event that is not an InteractionRecorded (EventBridge retries, then dead-letters)', async () => {
    const { handler } = consumerWith({});
    await expect(handler({ ...event({}), detail: { data: {} } } as never)).rejects.toThrow();
  });
});
