// From purchases to the per-customer figures the models take, with the conventions of Fader,
// Hardie and Lee (and of the CDNOW data set's README): several purchases by one customer on one
// calendar day are one transaction (their values add up); time counts whole days from the
// customer's first purchase date, divided by 7 in weeks; a purchase dated `asOf` counts.

export type PeriodUnit = 'day' | 'week';

export interface Purchase {
  readonly customerId: string;
  /** The calendar day of the purchase, YYYY-MM-DD (UTC). */
  readonly date: string;
  readonly amount: number;
}

export interface PurchaseSummary {
  readonly customerId: string;
  /** Repeat transactions: those after the first. */
  readonly frequency: number;
  /** From the first to the last transaction, in periods. */
  readonly recency: number;
  /** From the first transaction to `asOf`, in periods. */
  readonly T: number;
  /** The mean value of the repeat transactions (0 without any): the spend model's input. */
  readonly monetary: number;
  readonly transactions: number;
  readonly totalSpend: number;
  readonly firstPurchase: string;
  readonly lastPurchase: string;
}

const DAY_MS = 86_400_000;
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a YYYY-MM-DD calendar day. */
export function dayNumber(day: string): number {
  const match = ISO_DAY.exec(day);
  if (!match) throw new RangeError(`Not a calendar day: ${day}`);
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / DAY_MS;
}

export const daysPerPeriod = (unit: PeriodUnit) => (unit === 'week' ? 7 : 1);

/** One summary per customer with at least one purchase on or before `asOf`, in first-seen order. */
export function summarisePurchases(purchases: Iterable<Purchase>, asOf: string, unit: PeriodUnit): PurchaseSummary[] {
  const end = dayNumber(asOf);
  const days = new Map<string, Map<number, number>>();
  for (const p of purchases) {
    const day = dayNumber(p.date);
    if (day > end) continue;
    let byDay = days.get(p.customerId);
    if (!byDay) days.set(p.customerId, (byDay = new Map()));
    byDay.set(day, (byDay.get(day) ?? 0) + p.amount);
  }
  const per = daysPerPeriod(unit);
  const iso = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
  return [...days].map(([customerId, byDay]) => {
    const ordered = [...byDay].sort((x, y) => x[0] - y[0]);
    const first = ordered[0]![0];
    const last = ordered[ordered.length - 1]![0];
    const repeats = ordered.slice(1);
    const totalSpend = ordered.reduce((sum, [, value]) => sum + value, 0);
    return {
      customerId,
      frequency: repeats.length,
      recency: (last - first) / per,
      T: (end - first) / per,
      monetary: repeats.length ? repeats.reduce((sum, [, value]) => sum + value, 0) / repeats.length : 0,
      transactions: ordered.length,
      totalSpend,
      firstPurchase: iso(first),
      lastPurchase: iso(last),
    };
  });
}
