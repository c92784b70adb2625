import { randomUUID } from 'node:crypto';
import type { Clock, IdGenerator } from '#domain/shared/ports.ts';

export const systemClock: Clock = { now: () => new Date() };

export const uuidIds: IdGenerator = { next: () => randomUUID() };
