import * as z from '#domain/shared/zod.ts';
import { ValidationError } from '../shared/errors.ts';
import { AMOUNT_SCALE, type Figures, WEIGHTED_SCALE } from './pipeline-counters.ts';

// GET /reports/pipeline: the per-month, per-currency figures, read off the counters
// (pipeline-counters.ts). Amounts of different currencies never add up: each row is one currency.

export const MAX_REPORT_MONTHS = 24;
/** Months a report covers when `to` is not given: a year from `from`. */
export const DEFAULT_REPORT_MONTHS = 12;

export const Month = z.onFirstUse(() => z.string().check(z.regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month YYYY-MM')));

export const PipelineMonth = z.onFirstUse(() => z
  .object({
    month: z.string(),
    currency: z.string(),
    /** Opportunities closing (or closed) in the month, whatever their stage: open ones are count - won - lost. */
    count: z.int(),
    amount: z.number(),
    /** Sum of amount x probability / 100. */
    weightedAmount: z.number(),
    won: z.int(),
    wonAmount: z.number(),
    lost: z.int(),
    lostAmount: z.number(),
    /** won / (won + lost); null when none closed. */
    winRate: z.nullable(z.number()),
    /** Per stage left in the month: the average whole days spent in it. */
    avgDaysPerStage: z.record(z.string(), z.number()),
  })
  .register(z.globalRegistry, { id: 'PipelineMonth' }));
export type PipelineMonth = z.infer<typeof PipelineMonth>;

export const PipelineReport = z.onFirstUse(() => z
  .object({ from: z.string(), to: z.string(), owner: z.nullable(z.string()), months: z.array(PipelineMonth) })
  .register(z.globalRegistry, { id: 'PipelineReport' }));
export type PipelineReport = z.infer<typeof PipelineReport>;

const monthIndex = (month: string) => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
const monthOf = (index: number) => `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;

/**
 * The months a report covers: `from` defaults to the current month, `to` to a year from `from`.
 * from <= to, at most 24 months (400 otherwise).
 */
export function reportMonths(query: { from?: string | undefined; to?: string | undefined }, now: Date): { from: string; to: string } {
  const from = query.from ?? now.toISOString().slice(0, 7);
  const to = query.to ?? monthOf(monthIndex(from) + DEFAULT_REPORT_MONTHS - 1);
  if (from > to) throw new ValidationError('from must not be after to.', [{ path: 'from', message: 'must not be after to' }]);
  if (monthIndex(to) - monthIndex(from) + 1 > MAX_REPORT_MONTHS) throw new ValidationError(`At most ${MAX_REPORT_MONTHS} months at a time.`, [{ path: 'to', message: `at most ${MAX_REPORT_MONTHS} months after from` }]);
  return { from, to };
}

/** A scaled integer as the decimal number it stands for (exact for any amount JSON can carry). */
function decimal(value: bigint, scale: bigint): number {
  const digits = String(scale).length - 1;
  const sign = value < 0n ? '-' : '';
  const abs = value < 0n ? -value : value;
  return Number(`${sign}${abs / scale}.${String(abs % scale).padStart(digits, '0')}`);
}

const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;

/** One row per (month, currency) bucket that holds anything; months with nothing are left out. */
export function pipelineReport(range: { from: string; to: string }, owner: string | null, buckets: readonly { month: string; currency: string; figures: Figures }[]): PipelineReport {
  const months = buckets
    .filter((b) => b.month >= range.from && b.month <= range.to && [...b.figures.values()].some((v) => v !== 0n))
    .sort((a, b) => a.month.localeCompare(b.month) || a.currency.localeCompare(b.currency))
    .map(({ month, currency, figures }): PipelineMonth => {
      const get = (field: string) => figures.get(field) ?? 0n;
      const won = Number(get('won'));
      const lost = Number(get('lost'));
      const avgDaysPerStage: Record<string, number> = {};
      for (const [field, exits] of figures) {
        if (!field.startsWith('exits_') || exits <= 0n) continue;
        const stage = field.slice('exits_'.length);
        avgDaysPerStage[stage] = round(Number(get(`days_${stage}`)) / Number(exits), 1);
      }
      return {
        month,
        currency,
        count: Number(get('count')),
        amount: decimal(get('amount'), AMOUNT_SCALE),
        weightedAmount: decimal(get('weighted'), WEIGHTED_SCALE),
        won,
        wonAmount: decimal(get('wonAmount'), AMOUNT_SCALE),
        lost,
        lostAmount: decimal(get('lostAmount'), AMOUNT_SCALE),
        winRate: won + lost === 0 ? null : round(won / (won + lost), 4),
        avgDaysPerStage,
      };
    });
  return { from: range.from, to: range.to, owner, months };
}
