import { describe, expect, it } from 'vitest';
import { purchaseValueOf } from '../../domain/analytics/analytics-purchase.ts';
import { purchaseFeed } from '../../domain/analytics/purchase-feed.use-cases.ts';
import { memoryPurchaseFeed } from '../support/analytics-fakes.ts';

describe('the value of a purchase interaction', () => {
  it('sums unit price times quantity over order lines (quantity 1 when absent), to the cent', () => {
    expect(purchaseValueOf({ orderId: 'o1', items: [{ sku: 'A', unitPrice: 0.1, quantity: 3 }, { sku: 'B', unitPrice: 0.2 }] }, 'EUR')).toEqual({ amount: 0.5, currency: 'EUR' });
  });
  it('takes a plain amount when there are no priced order lines, with its own currency when it names one', () => {
    expect(purchaseValueOf({ amount: 29.33 }, 'EUR')).toEqual({ amount: 29.33, currency: 'EUR' });
    expect(purchaseValueOf({ amount: 12, currency: 'USD' }, 'EUR')).toEqual({ amount: 12, currency: 'USD' });
    expect(purchaseValueOf({ items: [{ sku: 'A' }], amount: 7 }, 'EUR')).toEqual({ amount: 7, currency: 'EUR' });
  });
  it('is no purchase without a value, with a negative one or with a malformed currency', () => {
    expect(purchaseValueOf({ items: [{ sku: 'A', quantity: 2 }] }, 'EUR')).toBeUndefined();
    expect(purchaseValueOf({ amount: -5 }, 'EUR')).toBeUndefined();
    expect(purchaseValueOf({ amount: '5' }, 'EUR')).toBeUndefined();
    expect(purchaseValueOf({ amount: 5, currency: 'euro' }, 'EUR')).toBeUndefined();
    expect(purchaseValueOf(null, 'EUR')).toBeUndefined();
  });
});


describe('the purchase feed', () => {
  const event = { customerId: 'c1', interactionId: 'i1', occurredAt: '1997-03-04T23:30:00.000Z' };

  it('records a purchase once on its UTC day and refreshes the scores each time it sees it', async () => {
    const { items, store } = memoryPurchaseFeed();
    const refreshed: string[] = [];
    const feed = purchaseFeed({ interactions: { dataOf: async () => ({ amount: 20 }) }, purchases: store, currency: 'USD', afterPurchase: async (id) => refreshed.push(id) });
    expect(await feed.interactionRecorded(event)).toBe('recorded');
    expect(await feed.interactionRecorded(event)).toBe('duplicate');
    expect([...items.values()]).toEqual([{ customerId: 'c1', interactionId: 'i1', day: '1997-03-04', amount: 20, currency: 'USD' }]);
    expect(refreshed).toEqual(['c1', 'c1']);
  });

  it('leaves data without a value, a vanished interaction and a customer gone alone', async () => {
    const { items, store } = memoryPurchaseFeed(new Set(['gone']));
    const refreshed: string[] = [];
    const afterPurchase = async (id: string) => refreshed.push(id);
    expect(await purchaseFeed({ interactions: { dataOf: async () => ({ note: 'hi' }) }, purchases: store, currency: 'EUR', afterPurchase }).interactionRecorded(event)).toBe('not-a-purchase');
    expect(await purchaseFeed({ interactions: { dataOf: async () => undefined }, purchases: store, currency: 'EUR', afterPurchase }).interactionRecorded(event)).toBe('interaction-gone');
    expect(await purchaseFeed({ interactions: { dataOf: async () => ({ amount: 1 }) }, purchases: store, currency: 'EUR', afterPurchase }).interactionRecorded({ ...event, customerId: 'gone' })).toBe('customer-gone');
    expect(items.size).toBe(0);
    expect(refreshed).toEqual([]);
  });
});
