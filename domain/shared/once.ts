import { ClaimHeldError } from './errors.ts';
import type { OnceGuard } from './ports.ts';

/**
 * Runs `work` for `key` once: a duplicate delivery of finished work answers `duplicate`; work in
 * progress elsewhere throws ClaimHeldError (the delivery is retried, never dropped); a failure
 * gives the claim up so the retry does the work. The claim is marked done only after `work`
 * succeeded, so an attempt that dies midway is redone after the claim's lease: at least once.
 */
export async function onceOnly<T>(guard: OnceGuard, key: string, work: () => Promise<T>): Promise<T | 'duplicate'> {
  const claim = await guard.claim(key);
  if (claim === 'done') return 'duplicate';
  if (claim === 'busy') throw new ClaimHeldError(key);
  let result: T;
  try {
    result = await work();
  } catch (error) {
    await guard.release(key);
    throw error;
  }
  await guard.done(key);
  return result;
}
