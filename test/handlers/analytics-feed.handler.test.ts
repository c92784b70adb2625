import { afterEach, describe, expect, it, vi } from 'vitest';
import { purchaseFeed } from '../../domain/analytics/purchase-feed.use-cases.ts';
import { analyticsFeedHandler } from '../../functions/analytics/analytics-feed.handler.ts';

// The analytics feed's edge: the event parsed, the interaction's data read by its ids, the purchase
// passed on; data without a value is logged as a warning and dropped, a malformed event throws.

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

afterEach(() => vi.restoreAllMocks());

function handlerWith(data: unknown) {
  const dataOf = vi.fn(async () => data);
  const record = vi.fn(async () => 'recorded' as const);
  return { dataOf, record, handler: analyticsFeedHandler(purchaseFeed({ interactions: { dataOf }, purchases: { record }, currency: 'EUR' })) };
}

describe('analytics feed handler', () => {
  it('reads the interaction by its timeline coordinates and records its value', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const { dataOf, record, handler } = handlerWith({ items: [{ sku: 'A', unitPrice: 5, quantity: 2 }] });
    expect(await handler(event({}))).toBe('recorded');
    expect(dataOf).toHaveBeenCalledWith('c1', '2026-12-01T09:59:00.000Z', 'i1');
    expect(record).toHaveBeenCalledWith({ customerId: 'c1', interactionId: 'i1', day: '2026-12-01', amount: 10, currency: 'EUR' });
    expect(JSON.parse(String(log.mock.calls[0]![0]))).toMatchObject({ level: 'info', outcome: 'recorded', customerId: 'c1' });
  });

  it('logs data without a value as a warning and records nothing', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const { record, handler } = handlerWith({ items: [{ sku: 'A' }] });
    expect(await handler(event({}))).toBe('not-a-purchase');
    expect(record).not.toHaveBeenCalled();
    expect(JSON.parse(String(log.mock.calls[0]![0]))).toMatchObject({ level: 'warn', outcome: 'not-a-purchase' });
  });

  it('throws on a malformed event (EventBridge retries, then the dead-letter queue keeps it)', async () => {
    const { handler } = handlerWith({ amount: 1 });
    await expect(handler(event({ customerId: 7 }))).rejects.toThrow();
  });
});
