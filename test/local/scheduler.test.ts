import { afterEach, describe, expect, it } from 'vitest';
import { startScheduler, VirtualClock } from '../../infra/local/scheduler.ts';

describe('VirtualClock', () => {
  it('follows real time until advanced, then runs ahead by exactly the advance', () => {
    const clock = new VirtualClock();
    const before = Date.now();
    const start = clock.now().getTime();
    expect(start).toBeGreaterThanOrEqual(before);
    expect(start).toBeLessThanOrEqual(Date.now());
    const advanced = clock.advance(3600).getTime();
    expect(advanced - start).toBeGreaterThanOrEqual(3_600_000);
    expect(advanced - start).toBeLessThan(3_600_000 + 1000);
    expect(clock.now().getTime()).toBeGreaterThanOrEqual(advanced);
  });
});

describe('startScheduler', () => {
  let stop: (() => void) | undefined;
  afterEach(() => stop?.());

  function fiveMinuteSchedule() {
    const clock = new VirtualClock();
    const runs: Date[] = [];
    // A tick far beyond the test's runtime: only advance() may fire the schedule here.
    const scheduler = startScheduler(clock, [{ name: 'sla-check', everyMinutes: 5, run: async (at) => void runs.push(at) }], 3_600_000);
    stop = scheduler.stop;
    return { clock, runs, scheduler };
  }

  it('does not fire before the period has passed', async () => {
    const { runs, scheduler } = fiveMinuteSchedule();
    expect(await scheduler.advance(60)).toMatchObject({ fired: [] });
    expect(await scheduler.advance(60)).toMatchObject({ fired: [] });
    expect(runs).toHaveLength(0);
  });

  it('fires once when advanced by the period, passing the virtual time', async () => {
    const { clock, runs, scheduler } = fiveMinuteSchedule();
    const result = await scheduler.advance(300);
    expect(result.fired).toEqual(['sla-check']);
    expect(runs).toHaveLength(1);
    expect(Math.abs(runs[0]!.getTime() - clock.now().getTime())).toBeLessThan(1000);
    expect(new Date(result.now).getTime()).toBeGreaterThanOrEqual(runs[0]!.getTime());
  });

  it('fires when several small advances add up to the period, and not again until the next one', async () => {
    const { runs, scheduler } = fiveMinuteSchedule();
    for (let i = 0; i < 4; i++) await scheduler.advance(60);
    expect(runs).toHaveLength(0);
    expect((await scheduler.advance(60)).fired).toEqual(['sla-check']);
    expect((await scheduler.advance(60)).fired).toEqual([]);
    expect(runs).toHaveLength(1);
  });

  it('collapses many missed periods into one run, then keeps the period', async () => {
    const { runs, scheduler } = fiveMinuteSchedule();
    expect((await scheduler.advance(24 * 3600)).fired).toEqual(['sla-check']);
    expect(runs).toHaveLength(1);
    expect((await scheduler.advance(60)).fired).toEqual([]);
    expect((await scheduler.advance(300)).fired).toEqual(['sla-check']);
    expect(runs).toHaveLength(2);
  });

  it('keeps running other schedules when one throws, and does not report the failed one as fired', async () => {
    const clock = new VirtualClock();
    const ran: string[] = [];
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void errors.push(args);
    try {
      const scheduler = startScheduler(
        clock,
        [
          { name: 'broken', everyMinutes: 1, run: async () => Promise.reject(new Error('boom')) },
          { name: 'healthy', everyMinutes: 1, run: async () => void ran.push('healthy') },
        ],
        3_600_000,
      );
      stop = scheduler.stop;
      expect((await scheduler.advance(60)).fired).toEqual(['healthy']);
    } finally {
      console.error = original;
    }
    expect(ran).toEqual(['healthy']);
    expect(errors).toHaveLength(1);
  });
});
