import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AnalyticsPurchase } from '../../domain/analytics/analytics-purchase.ts';
import { analyticsMergeConsumer } from '../../domain/analytics/customer-merge.use-cases.ts';
import { purchaseFeed } from '../../domain/analytics/purchase-feed.use-cases.ts';
import { wonOpportunityPurchases } from '../../domain/analytics/won-opportunity-purchases.ts';
import { analyticsFeedHandler } from '../../functions/analytics/analytics-feed.handler.ts';

// The analytics feed's edge: the event parsed, the interaction's data read by its ids, the purchase
// passed on; data without a value is logged as a warning and dropped, a malformed event throws.
// OpportunityWon and CustomersMerged go to their own consumers.

const envelope = (detailType: string, source: string, data: Record<string, unknown>) => ({
  version: '0',
  id: 'e1',
  'detail-type': detailType,
  source,
  account: '1',
  time: '2026-12-01T10:00:00Z',
  region: 'eu-west-1',
  resources: [],
  detail: { metadata: { eventId: 'ev-1', version: 1, occurredAt: '2026-12-01T10:00:00.000Z', correlationId: 'corr-1', causationId: null, idempotencyKey: 'ev-1' }, data },
});

const event = (data: Record<string, unknown>) =>
  envelope('InteractionRecorded', 'crm.customers', { customerId: 'c1', interactionId: 'i1', channel: 'web', type: 'purchase', occurredAt: '2026-12-01T09:59:00.000Z', ...data });

afterEach(() => vi.restoreAllMocks());

function handlerWith(data: unknown) {
  const dataOf = vi.fn(async () => data);
  const record = vi.fn(async (_purchase: AnalyticsPurchase) => 'recorded' as const);
  const purchases = { record };
  const opportunity = { id: 'o1', accountId: 'a1', stage: 'won', amount: 50, currency: 'USD', closeDate: '2026-11-30', stageHistory: [{ stage: 'won', at: '2026-11-30T10:00:00.000Z' }] };
  const move = vi.fn(async () => 'moved' as const);
  const deleteScores = vi.fn(async () => undefined);
  const handler = analyticsFeedHandler({
    feed: purchaseFeed({ interactions: { dataOf }, purchases, currency: 'EUR' }),
    won: wonOpportunityPurchases({ opportunities: { get: async (id) => (id === 'o1' ? opportunity : undefined) }, contacts: { contactIds: async () => ['c2', 'c1'] }, purchases }),
    merges: analyticsMergeConsumer({ store: { purchasesOf: async (id) => (id === 'src' ? [{ customerId: 'src', interactionId: 'i9', day: '2026-01-01', amount: 3, currency: 'EUR' }] : []), move, deleteScores } }),
  });
  return { dataOf, record, move, deleteScores, handler };
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
    const log = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { record, handler } = handlerWith({ items: [{ sku: 'A' }] });
    expect(await handler(event({}))).toBe('not-a-purchase');
    expect(record).not.toHaveBeenCalled();
    expect(JSON.parse(String(log.mock.calls[0]![0]))).toMatchObject({ level: 'warn', outcome: 'not-a-purchase' });
  });

  it('throws on a malformed event (EventBridge retries, then the dead-letter queue keeps it)', async () => {
    const { handler } = handlerWith({ amount: 1 });
    await expect(handler(event({ customerId: 7 }))).rejects.toThrow();
    await expect(handler(envelope('OpportunityWon', 'crm.sales', { opportunityId: 'o1' }))).rejects.toThrow();
    await expect(handler(envelope('CustomersMerged', 'crm.customers', { targetId: 'tgt' }))).rejects.toThrow();
  });

  it("records a won opportunity's shares for its account's contacts, and logs one without contacts as a warning", async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { record, handler } = handlerWith({});
    expect(await handler(envelope('OpportunityWon', 'crm.sales', { opportunityId: 'o1', accountId: 'a1' }))).toEqual({ outcome: 'recorded', day: '2026-11-30', contacts: { recorded: 2 } });
    expect(record.mock.calls.map(([p]) => p)).toEqual([
      { customerId: 'c1', interactionId: 'opportunity:o1', day: '2026-11-30', amount: 25, currency: 'USD' },
      { customerId: 'c2', interactionId: 'opportunity:o1', day: '2026-11-30', amount: 25, currency: 'USD' },
    ]);
    expect(JSON.parse(String(log.mock.calls[0]![0]))).toMatchObject({ level: 'info', message: 'analytics won opportunity', opportunityId: 'o1', outcome: 'recorded' });
    expect(await handler(envelope('OpportunityWon', 'crm.sales', { opportunityId: 'gone', accountId: 'a1' }))).toEqual({ outcome: 'no-opportunity' });
    expect(JSON.parse(String(warn.mock.calls[0]![0]))).toMatchObject({ level: 'warn', outcome: 'no-opportunity' });
  });

  it("moves a merged-away customer's purchases to the target and drops its scores", async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const { move, deleteScores, handler } = handlerWith({});
    expect(await handler(envelope('CustomersMerged', 'crm.customers', { targetId: 'tgt', sourceId: 'src' }))).toEqual({ outcome: 'merged', purchases: { moved: 1 } });
    expect(move).toHaveBeenCalledWith({ customerId: 'src', interactionId: 'i9', day: '2026-01-01', amount: 3, currency: 'EUR' }, 'tgt');
    expect(deleteScores).toHaveBeenCalledWith('src');
    expect(JSON.parse(String(log.mock.calls[0]![0]))).toMatchObject({ level: 'info', message: 'analytics customers merged', targetId: 'tgt', sourceId: 'src' });
  });
});
