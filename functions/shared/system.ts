import { randomUUID } from 'node:crypto';
import type { Clock, IdGenerator, RetryPause } from '#domain/shared/ports.ts';

export const systemClock: Clock = { now: () => new Date() };

export const uuidIds: IdGenerator = { next: () => randomUUID() };

/** Full-jitter exponential backoff: 0..min(200 ms, 5 ms * 2^attempt). */
export const jitteredPause: RetryPause = {
  pause: (attempt) => new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(200, 5 * 2 ** attempt))),
};
