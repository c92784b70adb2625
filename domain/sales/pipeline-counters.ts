import { ConflictError } from '../shared/errors.ts';
import type { Opportunity } from './opportunity.schema.ts';
import { isFinal } from './pipeline-stages.ts';

// The pipeline report's counters, as a pure function of the opportunities: each opportunity
// contributes figures to buckets (scope, month, currency), and every write adds the difference
// between what the opportunity contributes after it and what it contributed before. So the
// counters always equal a recount of the opportunities, whatever the writes changed (amount,
// probability, stage, closeDate, currency, owner), with no consumer and no scan.
//
// Money is counted in integers so that DynamoDB's ADD and a recount agree to the last digit:
// amounts in 1/10,000 of the currency (the finest an amount may have), weighted amounts
// (amount x probability / 100) in 1/1,000,000.

/** `all`, or one owner's: `owner#<ownerId>`. */
export type PipelineScope = 'all' | `owner#${string}`;
export const ownerScope = (ownerId: string): PipelineScope => `owner#${ownerId}`;

export interface BucketKey {
  readonly scope: PipelineScope;
  /** YYYY-MM */
  readonly month: string;
  readonly currency: string;
}

/**
 * The figures of a bucket: count, amount, weighted, won, wonAmount, lost, lostAmount (by the
 * closeDate's month) and, per stage, `days_<stage>` and `exits_<stage>` (by the month the stage was left).
 */
export type Figures = Map<string, bigint>;
export interface BucketFigures {
  readonly key: BucketKey;
  readonly figures: Figures;
}

export interface PipelineDeltas {
  /** Per touched bucket, the non-zero ADDs. */
  readonly buckets: readonly BucketFigures[];
  /** Open opportunities per stage: the non-zero ADDs. */
  readonly open: ReadonlyMap<string, number>;
  /** The open stage the opportunity enters with this write (it must still be configured when the write commits). */
  readonly enters: string | undefined;
}

export const AMOUNT_SCALE = 10_000n;
export const WEIGHTED_SCALE = 1_000_000n;
const DAY_MS = 86_400_000;

/** An amount in 1/10,000 of its currency, from its shortest decimal form (the one DynamoDB and JSON hold), rounded half up. */
export function scaledAmount(amount: number): bigint {
  const text = Math.abs(amount).toString();
  // Exponent forms only for tiny values (below 1e-6, which round to 0 here); amounts stay far below 1e21.
  const [whole, fraction = ''] = (text.includes('e') ? Math.abs(amount).toFixed(8) : text).split('.') as [string, string?];
  const digits = fraction.padEnd(5, '0');
  const scaled = BigInt(whole) * AMOUNT_SCALE + BigInt(digits.slice(0, 4)) + (digits[4]! >= '5' ? 1n : 0n);
  return amount < 0 ? -scaled : scaled;
}

/** Whole days between two instants (a stage left within the day it was entered counts 0 days). */
export const wholeDays = (from: string, to: string) => Math.max(0, Math.floor((Date.parse(to) - Date.parse(from)) / DAY_MS));

export const bucketId = (k: BucketKey) => `${k.scope}|${k.month}|${k.currency}`;

/** Everything one opportunity counts for. */
export function contribution(o: Opportunity): { buckets: Map<string, BucketFigures>; open: Map<string, number> } {
  const buckets = new Map<string, BucketFigures>();
  const add = (key: BucketKey, field: string, by: bigint) => {
    const id = bucketId(key);
    const bucket = buckets.get(id) ?? { key, figures: new Map() };
    bucket.figures.set(field, (bucket.figures.get(field) ?? 0n) + by);
    buckets.set(id, bucket);
  };
  const amount = scaledAmount(o.amount);
  for (const scope of ['all', ownerScope(o.ownerId)] as const) {
    const closing = { scope, month: o.closeDate.slice(0, 7), currency: o.currency };
    add(closing, 'count', 1n);
    add(closing, 'amount', amount);
    add(closing, 'weighted', amount * BigInt(o.probability));
    if (o.stage === 'won') {
      add(closing, 'won', 1n);
      add(closing, 'wonAmount', amount);
    }
    if (o.stage === 'lost') {
      add(closing, 'lost', 1n);
      add(closing, 'lostAmount', amount);
    }
    // Each stage left: its whole days, in the month it was left (history entry i is left at entry i+1).
    o.stageHistory.forEach((entry, i) => {
      const left = o.stageHistory[i + 1];
      if (!left) return;
      const month = { scope, month: left.at.slice(0, 7), currency: o.currency };
      add(month, `days_${entry.stage}`, BigInt(wholeDays(entry.at, left.at)));
      add(month, `exits_${entry.stage}`, 1n);
    });
  }
  return { buckets, open: new Map(isFinal(o.stage) ? [] : [[o.stage, 1]]) };
}

/**
 * Transactions touch at most 100 items; an opportunity whose stage history spans very many months
 * would need more when its owner or currency changes. Such a write is refused (409), not split.
 */
export const MAX_COUNTER_BUCKETS = 80;

export class TooManyCountersError extends ConflictError {
  constructor(buckets: number) {
    super(`This change would move the pipeline figures of ${buckets} months at once (at most ${MAX_COUNTER_BUCKETS}); change the owner or currency of an opportunity with a shorter history.`);
  }
}

/** What a write adds to the counters: contribution(next) - contribution(previous), zeros dropped. */
export function pipelineDeltas(previous: Opportunity | undefined, next: Opportunity): PipelineDeltas {
  const after = contribution(next);
  const before = previous ? contribution(previous) : { buckets: new Map<string, BucketFigures>(), open: new Map<string, number>() };
  const buckets: BucketFigures[] = [];
  for (const id of new Set([...after.buckets.keys(), ...before.buckets.keys()])) {
    const a = after.buckets.get(id);
    const b = before.buckets.get(id);
    const figures: Figures = new Map();
    for (const field of new Set([...(a?.figures.keys() ?? []), ...(b?.figures.keys() ?? [])])) {
      const by = (a?.figures.get(field) ?? 0n) - (b?.figures.get(field) ?? 0n);
      if (by !== 0n) figures.set(field, by);
    }
    if (figures.size > 0) buckets.push({ key: (a ?? b)!.key, figures });
  }
  if (buckets.length > MAX_COUNTER_BUCKETS) throw new TooManyCountersError(buckets.length);
  const open = new Map<string, number>();
  for (const stage of new Set([...after.open.keys(), ...before.open.keys()])) {
    const by = (after.open.get(stage) ?? 0) - (before.open.get(stage) ?? 0);
    if (by !== 0) open.set(stage, by);
  }
  const enters = !isFinal(next.stage) && previous?.stage !== next.stage ? next.stage : undefined;
  return { buckets, open, enters };
}
