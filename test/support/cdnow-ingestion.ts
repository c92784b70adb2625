import { expect } from 'vitest';
import type { CdnowLine } from './cdnow.ts';
import type { TestRuntime } from './local-runtime.ts';

// Loads CDNOW purchases through the public API as a shop would: one customer per sample id
// (POST /customers), each purchase an interaction of type purchase on its date with its dollar
// value as `data.amount` (POST /interactions, 25 per batch, a few batches at a time).

const BATCH = 25;
const PARALLEL = 4;

async function inParallel<T>(items: readonly T[], work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: PARALLEL }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

/** Creates the customers and records the purchases; returns CDNOW id -> customer id. */
export async function ingestCdnow(t: TestRuntime, lines: readonly CdnowLine[]): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  await inParallel([...new Set(lines.map((l) => l.customerId))], async (cdnowId) => {
    const res = await t.call('POST', '/customers', { role: 'admin', body: { email: `${cdnowId}@cdnow.test` } });
    expect(res.status, res.text).toBe(201);
    ids.set(cdnowId, res.json.id as string);
  });
  const batches: CdnowLine[][] = [];
  for (let i = 0; i < lines.length; i += BATCH) batches.push(lines.slice(i, i + BATCH));
  await inParallel(batches, async (batch) => {
    const items = batch.map((l) => ({ customerId: ids.get(l.customerId)!, channel: 'web', type: 'purchase', occurredAt: `${l.date}T12:00:00Z`, data: { amount: l.amount, currency: 'USD' } }));
    const res = await t.call('POST', '/interactions', { role: 'admin', body: { items } });
    expect(res.status, res.text).toBe(200);
    const failed = (res.json.items as { status?: number; error?: unknown }[]).filter((r) => r.error !== undefined);
    expect(failed, JSON.stringify(failed[0])).toEqual([]);
  });
  return ids;
}
