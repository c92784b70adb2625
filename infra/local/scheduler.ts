import { existsSync, readFileSync } from 'node:fs';
import type { Clock } from '#domain/shared/ports.ts';
import { writeFileAtomic } from './atomic-file.ts';

// The local scheduler runs the topology's schedules on a virtual clock. The clock follows real
// time plus an offset that POST /_local/clock/advance moves forward; everything that became due
// fires at once, so SLA timers and scheduled campaigns can be shown without waiting.

export class VirtualClock implements Clock {
  #offsetMs = 0;
  readonly #file: string | undefined;

  /** With a file, the offset survives restarts: data written at virtual time never lies in the future. */
  constructor(options: { file?: string } = {}) {
    this.#file = options.file;
    if (this.#file && existsSync(this.#file)) {
      const { offsetMs } = JSON.parse(readFileSync(this.#file, 'utf8')) as { offsetMs?: unknown };
      if (typeof offsetMs === 'number' && Number.isFinite(offsetMs)) this.#offsetMs = offsetMs;
    }
  }
  now(): Date {
    return new Date(Date.now() + this.#offsetMs);
  }
  get offsetMs(): number {
    return this.#offsetMs;
  }
  advance(seconds: number): Date {
    this.#offsetMs += seconds * 1000;
    if (this.#file) writeFileAtomic(this.#file, JSON.stringify({ offsetMs: this.#offsetMs }));
    return this.now();
  }
}

export interface LocalSchedule {
  readonly name: string;
  readonly everyMinutes: number;
  readonly run: (firedAt: Date) => Promise<unknown>;
}

/** Schedules created at run time (schedule-api.ts): started when due, on the same tick and advance. */
export interface DueSource {
  fireDue(now: Date): string[];
}

export function startScheduler(clock: VirtualClock, schedules: readonly LocalSchedule[], tickMs = 1000, oneOffs?: DueSource) {
  const next = new Map(schedules.map((s) => [s.name, clock.now().getTime() + s.everyMinutes * 60_000]));
  let running: Promise<string[]> = Promise.resolve([]);

  async function fireDue(): Promise<string[]> {
    const now = clock.now();
    const fired: string[] = [];
    for (const schedule of schedules) {
      const due = next.get(schedule.name)!;
      if (due > now.getTime()) continue;
      // Several missed periods collapse into one run, as a late EventBridge schedule would catch up.
      const period = schedule.everyMinutes * 60_000;
      next.set(schedule.name, due + Math.ceil((now.getTime() - due + 1) / period) * period);
      try {
        await schedule.run(now);
        fired.push(schedule.name);
      } catch (error) {
        console.error(`[scheduler] ${schedule.name} failed: ${String(error)}`);
      }
    }
    if (oneOffs) fired.push(...oneOffs.fireDue(now));
    return fired;
  }

  const serialized = () => (running = running.then(fireDue, fireDue));
  const timer = setInterval(() => void serialized(), tickMs);
  timer.unref();

  return {
    /** Moves the virtual clock forward and runs everything that became due. */
    async advance(seconds: number): Promise<{ now: string; fired: string[] }> {
      clock.advance(seconds);
      const fired = await serialized();
      return { now: clock.now().toISOString(), fired };
    },
    stop() {
      clearInterval(timer);
    },
  };
}
