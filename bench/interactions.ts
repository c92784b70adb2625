// Helpers shared by the interaction sections (ingestion, request counts, timeline): customers to
// attach interactions to, realistic 25-item batches, and the per-item check of a batch answer.
import type { ApiResult } from '#functions/shared/http-app.ts';
import { apiEvent, expectStatus, type Invoke, type Request } from './api-event.ts';
import { createRequest } from './requests.ts';

export const BATCH_SIZE = 25;
const CHANNELS = ['web', 'email', 'mobile', 'store', 'chat'] as const;

/** Small seeded PRNG (mulberry32): the same batches on every run, so runs compare. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

/** `count` customers created through the handler; returns their ids. */
export async function createCustomers(invoke: Invoke, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const body = expectStatus(await invoke(apiEvent(createRequest())), 201, 'set-up POST /customers') as { id: string };
    ids.push(body.id);
  }
  return ids;
}

export interface BatchMix {
  /** Customers one batch spreads its customerId items over (inclusive range). */
  readonly customersPerBatch: readonly [number, number];
  /** Items per batch that name their person by anonymousId (inclusive range). */
  readonly anonymousPerBatch: readonly [number, number];
}

export const DEFAULT_MIX: BatchMix = { customersPerBatch: [5, 10], anonymousPerBatch: [2, 5] };

/**
 * A click-stream batch as a website sends it: 25 page views over a handful of known customers
 * plus a few anonymous visitors (drawn from a pool, so some anonymousIds repeat across batches).
 */
export function mixedBatch(random: () => number, customerIds: readonly string[], anonymousPool: readonly string[], mix: BatchMix = DEFAULT_MIX): Request {
  const between = ([lo, hi]: readonly [number, number]) => lo + Math.floor(random() * (hi - lo + 1));
  const anonymous = between(mix.anonymousPerBatch);
  const wanted = Math.min(between(mix.customersPerBatch), customerIds.length);
  const chosen = new Set<string>();
  while (chosen.size < wanted) chosen.add(pick(random, customerIds));
  const people = [...chosen];
  const items: Record<string, string>[] = [];
  // Every chosen customer appears at least once; the rest fall at random among them.
  for (let i = 0; i < BATCH_SIZE - anonymous; i++) {
    items.push({ customerId: i < people.length ? people[i]! : pick(random, people), channel: 'web', type: 'page_view' });
  }
  for (let i = 0; i < anonymous; i++) items.push({ anonymousId: pick(random, anonymousPool), channel: 'web', type: 'page_view' });
  // Shuffle, so anonymous items are not always last.
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return { route: 'POST /interactions', body: { items } };
}

export const anonymousPool = (size: number, tag: string) => Array.from({ length: size }, (_, i) => `bench-anon-${process.pid}-${tag}-${i}`);

/** Timeline-like interactions for one customer: a channel mix, stamped over the past 30 days. */
export function historyBatch(random: () => number, customerId: string, size = BATCH_SIZE): Request {
  const now = Date.now();
  const items = Array.from({ length: size }, () => {
    const channel = random() < 0.5 ? 'web' : pick(random, CHANNELS);
    return {
      customerId,
      channel,
      type: channel === 'web' ? pick(random, ['page_view', 'cart_add', 'purchase']) : pick(random, ['email_open', 'call', 'chat', 'purchase']),
      occurredAt: new Date(now - Math.floor(random() * 30 * 86_400_000)).toISOString(),
    };
  });
  return { route: 'POST /interactions', body: { items } };
}

export interface BatchOutcome {
  readonly sent: number;
  readonly created: number;
  /** One line per item (or whole response) that was not `created`. */
  readonly errors: string[];
}

/** Checks a POST /interactions answer: HTTP 200 and every item `created`. Never throws. */
export function batchOutcome(result: ApiResult, sent: number): BatchOutcome {
  if (result.statusCode !== 200) return { sent, created: 0, errors: [`HTTP ${result.statusCode}: ${result.body ?? ''}`] };
  let items: { index?: number; status?: string; error?: { status?: number; detail?: string } }[];
  try {
    items = (JSON.parse(result.body ?? '') as { items: typeof items }).items;
  } catch (error) {
    return { sent, created: 0, errors: [`unparseable 200 body (${String(error)}): ${result.body ?? ''}`] };
  }
  const errors: string[] = [];
  if (items.length !== sent) errors.push(`answered ${items.length} items for ${sent} sent`);
  let created = 0;
  for (const item of items) {
    if (item.status === 'created') created++;
    else errors.push(`item ${item.index}: ${item.status} ${item.error?.status ?? ''} ${item.error?.detail ?? JSON.stringify(item)}`);
  }
  return { sent, created, errors };
}

export const itemsOf = (request: Request) => (request.body as { items: unknown[] }).items.length;
