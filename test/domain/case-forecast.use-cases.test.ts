import { describe, expect, it } from 'vitest';
import { type CaseVolumeSource, caseForecastUseCases, NotEnoughHistoryError } from '#domain/analytics/case-forecast.use-cases.ts';

// The case volume forecast over a fake counter source: what the cases context's day counters
// would hold (cases opened per queue and UTC day; days that opened none have no counter).

const NOW = new Date('2026-12-01T10:30:00Z'); // a Tuesday
const DAY_MS = 86_400_000;
const day = (offset: number) => new Date(Date.parse('2026-12-01') + offset * DAY_MS).toISOString().slice(0, 10);
const isWeekend = (date: string) => [0, 6].includes(new Date(date).getUTCDay());

function noise(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31 - 0.5;
  };
}

/** Counters per queue; `read` records the windows asked for. */
function fakeVolumes(queues: Record<string, Record<string, number>>) {
  const read: { queue: string; from: string; to: string }[] = [];
  const volumes: CaseVolumeSource = {
    async firstDay(queue) {
      return Object.keys(queues[queue] ?? {}).sort()[0];
    },
    async openedPerDay(queue, from, to) {
      read.push({ queue, from, to });
      return new Map(Object.entries(queues[queue] ?? {}).filter(([d]) => d >= from && d <= to));
    },
  };
  return { volumes, read };
}

/** `days` days up to and including today: weekday and weekend volumes with a little noise; weekends left out when 0 (no counter). */
function desk(days: number, weekday: number, weekend: number, seed = 3) {
  const next = noise(seed);
  const counters: Record<string, number> = {};
  for (let offset = -days + 1; offset <= 0; offset++) {
    const date = day(offset);
    const mean = isWeekend(date) ? weekend : weekday;
    const opened = Math.max(0, Math.round(mean + (mean > 0 ? 4 * next() : 0)));
    if (opened > 0 || mean > 0) counters[date] = opened;
  }
  return counters;
}

const useCases = (queues: Record<string, Record<string, number>>) => {
  const fake = fakeVolumes(queues);
  return { ...fake, forecast: caseForecastUseCases({ volumes: fake.volumes, clock: { now: () => NOW } }) };
};

describe('case volume forecast', () => {
  it('recovers a weekly pattern: every weekday forecast above every weekend one, from today on', async () => {
    const { forecast } = useCases({ support: desk(90, 20, 4) });
    const result = await forecast.forecast('support', 14);
    expect(result).toMatchObject({ queue: 'support', days: 14, from: '2026-12-01', method: 'holt-winters-additive', seasonPeriod: 7, interval: 0.8 });
    expect(result.points.map((p) => p.date)).toEqual(Array.from({ length: 14 }, (_, i) => day(i)));
    const weekdays = result.points.filter((p) => !isWeekend(p.date)).map((p) => p.expected);
    const weekends = result.points.filter((p) => isWeekend(p.date)).map((p) => p.expected);
    expect(weekdays).toHaveLength(10);
    expect(Math.min(...weekdays)).toBeGreaterThan(Math.max(...weekends));
    for (const v of weekdays) expect(v).toBeGreaterThan(15);
    for (const v of weekends) expect(v).toBeLessThan(9);
  });

  it('gives an 80% interval around each expected figure, never below 0', async () => {
    const { forecast } = useCases({ support: desk(56, 12, 1) });
    const result = await forecast.forecast('support', 28);
    expect(result.points).toHaveLength(28);
    for (const p of result.points) {
      expect(p.low).toBeGreaterThanOrEqual(0);
      expect(p.low).toBeLessThanOrEqual(p.expected);
      expect(p.high).toBeGreaterThan(p.expected);
    }
    expect(result.sigma).toBeGreaterThan(0);
    // Further ahead is less certain.
    expect(result.points[27]!.high - result.points[27]!.low).toBeGreaterThanOrEqual(result.points[0]!.high - result.points[0]!.low);
  });

  it('reads the last 8 weeks up to yesterday: today is not a whole day yet', async () => {
    const counters = desk(200, 10, 2);
    counters[day(0)] = 500; // today's count so far: not history
    const { forecast, read } = useCases({ support: counters });
    const result = await forecast.forecast('support', 7);
    expect(result.history).toEqual({ from: day(-56), to: day(-1), days: 56 });
    expect(read).toEqual([{ queue: 'support', from: day(-56), to: day(-1) }]);
    for (const p of result.points) expect(p.expected).toBeLessThan(20);
  });

  it('counts days without a counter as days that opened no case, from the queue first counted day', async () => {
    // Weekends have no counter at all: they are zero days, and the forecast says so.
    const { forecast } = useCases({ weekdays: desk(35, 10, 0) });
    const result = await forecast.forecast('weekdays', 14);
    expect(result.history).toEqual({ from: day(-34), to: day(-1), days: 34 });
    for (const p of result.points.filter((x) => isWeekend(x.date))) expect(p.expected).toBeLessThan(2);
    for (const p of result.points.filter((x) => !isWeekend(x.date))) expect(p.expected).toBeGreaterThan(7);
  });

  it('refuses less than 21 whole days of history with not-enough-history, saying how many there are', async () => {
    const { forecast } = useCases({ young: desk(21, 5, 1), ready: desk(22, 5, 1) });
    // 21 days up to today are 20 whole days.
    const refused = await forecast.forecast('young', 14).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(NotEnoughHistoryError);
    expect((refused as NotEnoughHistoryError).code).toBe('not-enough-history');
    expect((refused as Error).message).toContain('has 20 whole days');
    expect((refused as Error).message).toContain('at least 21');
    expect((await forecast.forecast('ready', 14)).history.days).toBe(21);
  });

  it('treats a queue without any counter (unknown, or only used today) as one without history', async () => {
    const { forecast } = useCases({ today: { [day(0)]: 3 } });
    for (const queue of ['nowhere', 'today']) {
      const refused = await forecast.forecast(queue, 14).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(NotEnoughHistoryError);
      expect((refused as Error).message).toContain('no case history before today');
    }
  });

  it('never forecasts fewer than 0 cases for a falling queue', async () => {
    const counters: Record<string, number> = {};
    for (let offset = -28; offset < 0; offset++) counters[day(offset)] = Math.max(0, 40 - 2 * (offset + 28));
    const { forecast } = useCases({ falling: counters });
    const result = await forecast.forecast('falling', 28);
    for (const p of result.points) for (const v of [p.expected, p.low, p.high]) expect(v).toBeGreaterThanOrEqual(0);
    expect(result.points.at(-1)!.expected).toBe(0);
  });
});
