import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

// The case volume forecast through the real local runtime: cases opened through POST /cases over
// four weeks of the virtual clock (the day counters count them on the day they are opened), then
// the forecast of that queue has their weekly shape.

let t: TestRuntime;
let customerId: string;
const DAY_SECONDS = 86_400;
const QUEUE = 'phone-desk';
/** Cases opened per weekday, Sunday to Saturday: a desk busy Monday to Friday, quiet on Saturday, closed on Sunday. */
const WEEK = [0, 3, 2, 2, 2, 2, 1];
/** Every other Wednesday one more: 50 cases over four weeks (the whole suite shares two cores). */
const opensOn = (weekday: number, week: number) => WEEK[weekday]! + (weekday === 3 && week % 2 === 1 ? 1 : 0);
const isWeekend = (date: string) => [0, 6].includes(new Date(date).getUTCDay());

const virtualNow = async () => new Date((await t.call('GET', '/_local/clock', { role: null })).json.now as string);
const advance = async (seconds: number) => {
  const res = await t.call('POST', '/_local/clock/advance', { role: null, body: { seconds } });
  expect(res.status).toBe(200);
};
const forecast = (query: string, role: 'admin' | 'manager' | 'agent' | 'marketer' = 'manager') => t.call('GET', `/analytics/forecasts/cases?${query}`, { role });

beforeAll(async () => {
  t = await startTestRuntime();
  customerId = (await t.call('POST', '/customers', { body: { email: 'forecast-caller@example.com' } })).json.id;
  // Noon UTC: a day's cases are opened well inside that UTC day, however long the test takes.
  const now = await virtualNow();
  const noon = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1, 12);
  await advance(Math.ceil((noon - now.getTime()) / 1000));
});
afterAll(async () => {
  await t?.runtime.stop();
});

describe('case volume forecast over HTTP', () => {
  it('refuses bad queries (400) and roles without the right (403)', async () => {
    for (const query of ['', 'days=14', `queue=${QUEUE}&days=0`, `queue=${QUEUE}&days=57`, `queue=${QUEUE}&days=seven`, `queue=${QUEUE}&days=1.5`, 'queue=Phone%20Desk', `queue=${QUEUE}&from=2026-01-01`]) {
      const res = await forecast(query);
      expect(res.status, query).toBe(400);
      expect(res.json.type).toBe('urn:ecrm:problem:validation');
    }
    expect((await forecast(`queue=${QUEUE}`, 'agent')).status).toBe(403);
    expect((await forecast(`queue=${QUEUE}`, 'marketer')).status).toBe(403);
  });

  it('answers 422 not-enough-history for a queue never used, and for one with under 21 whole days', async () => {
    const never = await forecast('queue=nobody-uses-this', 'admin');
    expect(never.status).toBe(422);
    expect(never.json.type).toBe('urn:ecrm:problem:not-enough-history');
    expect(never.json.detail).toContain('no case history');

    const opened = await t.call('POST', '/cases', { body: { customerId, subject: 'First call', channel: 'phone', queue: 'young-desk' } });
    expect(opened.status, opened.text).toBe(201);
    await advance(DAY_SECONDS);
    const young = await forecast('queue=young-desk');
    expect(young.status).toBe(422);
    expect(young.json.detail).toContain('1 whole day of case history');
    expect(young.json.detail).toContain('at least 21');
  });

  it('forecasts the weekly shape of four weeks of cases: weekdays above weekends, with an 80% interval', { timeout: 600_000 }, async () => {
    let total = 0;
    let firstDay = '';
    for (let day = 0; day < 28; day++) {
      const now = await virtualNow();
      if (day === 0) firstDay = now.toISOString().slice(0, 10);
      const count = opensOn(now.getUTCDay(), Math.floor(day / 7));
      for (let i = 0; i < count; i++) {
        // One at a time: each case's transaction adds to the same day counters.
        const res = await t.call('POST', '/cases', { body: { customerId, subject: `Call ${day}.${i}`, channel: 'phone', queue: QUEUE, priority: 'low' } });
        expect(res.status, res.text).toBe(201);
      }
      total += count;
      if (day === 20) {
        // 20 whole days so far (today's are still coming in): not yet.
        const early = await forecast(`queue=${QUEUE}`);
        expect(early.status).toBe(422);
        expect(early.json.detail).toContain('20 whole days');
      }
      await advance(DAY_SECONDS);
    }
    expect(total).toBe(50);

    const today = (await virtualNow()).toISOString().slice(0, 10);
    const res = await forecast(`queue=${QUEUE}`);
    expect(res.status, res.text).toBe(200);
    const f = res.json;
    expect(f).toMatchObject({ queue: QUEUE, days: 14, from: today, method: 'holt-winters-additive', seasonPeriod: 7, interval: 0.8 });
    expect(f.history).toMatchObject({ from: firstDay, days: 28 });
    const points = f.points as { date: string; expected: number; low: number; high: number }[];
    expect(points.map((p) => p.date)).toEqual(Array.from({ length: 14 }, (_, i) => new Date(Date.parse(today) + i * DAY_SECONDS * 1000).toISOString().slice(0, 10)));
    const weekdays = points.filter((p) => !isWeekend(p.date)).map((p) => p.expected);
    const weekends = points.filter((p) => isWeekend(p.date)).map((p) => p.expected);
    expect(Math.min(...weekdays)).toBeGreaterThan(Math.max(...weekends));
    expect(Math.min(...weekdays)).toBeGreaterThan(1.5);
    expect(Math.max(...weekends)).toBeLessThan(1.5);
    for (const p of points) {
      expect(p.low).toBeGreaterThanOrEqual(0);
      expect(p.low).toBeLessThanOrEqual(p.expected);
      expect(p.high).toBeGreaterThanOrEqual(p.expected);
    }

    const week = await forecast(`queue=${QUEUE}&days=7`, 'admin');
    expect(week.status).toBe(200);
    expect(week.json.points).toHaveLength(7);
    expect(week.json.points).toEqual(points.slice(0, 7));
  });
});
