import { ValidationError } from '../shared/errors.ts';
import type { Case } from './case.schema.ts';

// Counters kept as cases change (never by reading every case): the SLA report and the per-agent
// open-case counts for auto-assignment. Each write adds the deltas of its own change.

export const HISTOGRAM_BOUNDS = [5, 10, 15, 30, 45, 60, 90, 120, 180, 240, 360, 480, 720, 1440, 2880, 4320, 7200, 10080, 20160, 43200] as const;

export type CounterDelta =
  | { readonly kind: 'day'; readonly queue: string; readonly day: string; readonly field: string; readonly by: number }
  | { readonly kind: 'breachedOpen'; readonly queue: string; readonly by: number }
  | { readonly kind: 'agentOpen'; readonly agentId: string; readonly by: number };

const isBreachedOpen = (c: Case) => c.sla.breaches.length > 0 && c.status !== 'solved' && c.status !== 'closed';
const isAgentOpen = (c: Case): c is Case & { assigneeId: string } =>
  c.assigneeId !== null && (c.status === 'open' || c.status === 'pending' || c.status === 'on_hold');
const minutes = (from: string, to: string) => Math.max(0, (Date.parse(to) - Date.parse(from)) / 60_000);

/** Index of the histogram bucket for a duration in minutes (the last bucket is open-ended). */
export function bucketOf(value: number): number {
  const index = HISTOGRAM_BOUNDS.findIndex((bound) => value < bound);
  return index === -1 ? HISTOGRAM_BOUNDS.length : index;
}

export function counterDeltas(previous: Case | undefined, next: Case, now: Date): CounterDelta[] {
  const day = now.toISOString().slice(0, 10);
  const deltas: CounterDelta[] = [];
  const dayAdd = (field: string, by = 1) => deltas.push({ kind: 'day', queue: next.queue, day, field, by });
  if (!previous) dayAdd('opened');
  if (next.firstRespondedAt && !previous?.firstRespondedAt) {
    dayAdd('firstResponseTotal');
    if (next.firstRespondedAt <= next.sla.firstResponseDueAt) dayAdd('firstResponseMet');
    dayAdd(`firstResponseHist${bucketOf(minutes(next.createdAt, next.firstRespondedAt))}`);
  }
  if (next.status === 'solved' && previous?.status !== 'solved' && next.solvedAt) {
    dayAdd('solved');
    dayAdd('resolutionTotal');
    if (next.solvedAt <= next.sla.resolutionDueAt) dayAdd('resolutionMet');
    dayAdd(`resolutionHist${bucketOf(minutes(next.createdAt, next.solvedAt))}`);
  }
  // Breaches over time: each breach counts on the day the sweep recorded it.
  const newBreaches = next.sla.breaches.length - (previous?.sla.breaches.length ?? 0);
  if (newBreaches > 0) dayAdd('breaches', newBreaches);
  if (previous && isBreachedOpen(previous)) deltas.push({ kind: 'breachedOpen', queue: previous.queue, by: -1 });
  if (isBreachedOpen(next)) deltas.push({ kind: 'breachedOpen', queue: next.queue, by: 1 });
  if (previous && isAgentOpen(previous)) deltas.push({ kind: 'agentOpen', agentId: previous.assigneeId, by: -1 });
  if (isAgentOpen(next)) deltas.push({ kind: 'agentOpen', agentId: next.assigneeId, by: 1 });
  return netted(deltas);
}

/** +1 and -1 on the same counter cancel out (and must: one transaction may not touch an item twice). */
function netted(deltas: CounterDelta[]): CounterDelta[] {
  const byKey = new Map<string, CounterDelta>();
  for (const d of deltas) {
    const key = d.kind === 'day' ? `day|${d.queue}|${d.day}|${d.field}` : d.kind === 'breachedOpen' ? `bo|${d.queue}` : `ao|${d.agentId}`;
    const seen = byKey.get(key);
    byKey.set(key, seen ? { ...seen, by: seen.by + d.by } : d);
  }
  return [...byKey.values()].filter((d) => d.by !== 0);
}

export interface DayCounters {
  readonly [field: string]: number;
}

/** One UTC day's counters as stored (days without any change have no item). */
export interface ReportDay {
  readonly day: string;
  readonly counters: DayCounters;
}

/** One UTC day of the report: what the charts over time draw. */
export interface SlaReportDay {
  readonly day: string;
  readonly opened: number;
  readonly solved: number;
  readonly firstResponseMetPercent: number | null;
  readonly resolutionMetPercent: number | null;
  readonly breaches: number;
}

export interface SlaReport {
  readonly opened: number;
  readonly solved: number;
  readonly firstResponseMetPercent: number | null;
  readonly resolutionMetPercent: number | null;
  readonly medianFirstResponseMinutes: number | null;
  readonly medianResolutionMinutes: number | null;
  readonly breachedOpen: number;
  readonly breaches: number;
  /** Every day of the range, oldest first (zeros on days without counters). */
  readonly days: SlaReportDay[];
}

const percent = (met: number, total: number) => (total === 0 ? null : Math.round((1000 * met) / total) / 10);

/**
 * Sums day counters; medians are read off the histograms (interpolated within a bucket).
 * `range` (both days included) lists every day, so a chart over time has no gaps.
 */
export function slaReport(stored: readonly ReportDay[], breachedOpen: number, range: { from: string; to: string }): SlaReport {
  const days = stored.map((d) => d.counters);
  const sum = (field: string) => days.reduce((total, d) => total + (d[field] ?? 0), 0);
  const median = (prefix: string) => {
    const counts = Array.from({ length: HISTOGRAM_BOUNDS.length + 1 }, (_, i) => sum(`${prefix}${i}`));
    const total = counts.reduce((a, b) => a + b, 0);
    if (total === 0) return null;
    let seen = 0;
    for (const [i, count] of counts.entries()) {
      if (seen + count >= total / 2 && count > 0) {
        const low = i === 0 ? 0 : HISTOGRAM_BOUNDS[i - 1]!;
        const high = HISTOGRAM_BOUNDS[i] ?? low * 2;
        return Math.round(low + ((total / 2 - seen) / count) * (high - low));
      }
      seen += count;
    }
    return null;
  };
  return {
    opened: sum('opened'),
    solved: sum('solved'),
    firstResponseMetPercent: percent(sum('firstResponseMet'), sum('firstResponseTotal')),
    resolutionMetPercent: percent(sum('resolutionMet'), sum('resolutionTotal')),
    medianFirstResponseMinutes: median('firstResponseHist'),
    medianResolutionMinutes: median('resolutionHist'),
    breachedOpen: Math.max(0, breachedOpen),
    breaches: sum('breaches'),
    days: daysOf(stored, range),
  };
}

function daysOf(stored: readonly ReportDay[], range: { from: string; to: string }): SlaReportDay[] {
  const byDay = new Map(stored.map((d) => [d.day, d.counters]));
  const result: SlaReportDay[] = [];
  for (let ms = Date.parse(range.from); ms <= Date.parse(range.to); ms += DAY_MS) {
    const day = dayOf(ms);
    const c = byDay.get(day) ?? {};
    const n = (field: string) => c[field] ?? 0;
    result.push({
      day,
      opened: n('opened'),
      solved: n('solved'),
      firstResponseMetPercent: percent(n('firstResponseMet'), n('firstResponseTotal')),
      resolutionMetPercent: percent(n('resolutionMet'), n('resolutionTotal')),
      breaches: n('breaches'),
    });
  }
  return result;
}

/** Days the SLA report covers when it is not told (today included). */
export const DEFAULT_REPORT_DAYS = 30;
const DAY_MS = 86_400_000;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * The UTC days a report covers: `to` defaults to today, `from` to the 30 days up to `to`.
 * At most a year at a time (a query of 366 day items is still one page).
 */
export function reportRange(query: { from?: string; to?: string }, now: Date): { from: string; to: string } {
  const to = query.to ?? dayOf(now.getTime());
  const from = query.from ?? dayOf(Date.parse(to) - (DEFAULT_REPORT_DAYS - 1) * DAY_MS);
  if (from > to) throw new ValidationError('from must not be after to', [{ path: 'from', message: query.to ? 'from must not be after to' : 'from must not be after today (to)' }]);
  if (Date.parse(to) - Date.parse(from) > 366 * DAY_MS) throw new ValidationError('at most one year at a time', [{ path: 'to', message: 'at most one year at a time' }]);
  return { from, to };
}
