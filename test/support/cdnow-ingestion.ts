import { expect } from 'vitest';
import type { CdnowLine } from './cdnow.ts';
import type { TestRuntime } from './local-runtime.ts';

// Loads CDNOW purchases through the public API as a shop would: one customer per sample id
// (POST /customers), each purchase an interaction of type purchase on its date with its dollar
// value as `data.amount` (POST /interactions, 25 per batch), one request at a time: the suite
// shares one DynamoDB Local, and a load test here would starve the other files' requests. A 503
// is retried after its Retry-After, as the API asks of any client, with the same Idempotency-Key
// (a request that did commit before its 503 is answered, not done twice).

const BATCH = 25;
const PARALLEL = 1;
const ATTEMPTS = 5;

async function withRetry(send: () => ReturnType<TestRuntime['call']>) {
  for (let attempt = 1; ; attempt++) {
    const res = await send();
    if (res.status !== 503 || attempt === ATTEMPTS) return res;
    await new Promise((r) => setTimeout(r, 1000 * Number(res.headers.get('retry-after') ?? 1)));
  }
}

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
    const res = await withRetry(() => t.call('POST', '/customers', { role: 'admin', body: { email: `${cdnowId}@cdnow.test` }, headers: { 'idempotency-key': `cdnow-customer-${cdnowId}` } }));
    expect(res.status, res.text).toBe(201);
    ids.set(cdnowId, res.json.id as string);
  });
  const batches: CdnowLine[][] = [];
  for (let i = 0; i < lines.length; i += BATCH) batches.push(lines.slice(i, i + BATCH));
  await inParallel(batches, async (batch) => {
    const items = batch.map((l) => ({ customerId: ids.get(l.customerId)!, channel: 'web', type: 'purchase', occurredAt: `${l.date}T12:00:00Z`, data: { amount: l.amount, currency: 'USD' } }));
    const res = await withRetry(() => t.call('POST', '/interactions', { role: 'admin', body: { items }, headers: { 'idempotency-key': `cdnow-batch-${batch[0]!.customerId}-${batch[0]!.date}-${lines.indexOf(batch[0]!)}` } }));
    expect(res.status, res.text).toBe(200);
    const failed = (res.json.items as { status?: number; error?: unknown }[]).filter((r) => r.error !== undefined);
    expect(failed, JSON.stringify(failed[0])).toEqual([]);
  });
  return ids;
}
