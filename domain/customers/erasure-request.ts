import { CustomerErasureCancelled } from '#events/customer-erasure-cancelled.event.ts';
import { CustomerErasureRequested } from '#events/customer-erasure-requested.event.ts';
import type { DomainEvent } from '#events/define-event.ts';
import { CustomerBeingErasedError, ErasureRequestNotFoundError } from '../shared/errors.ts';
import type { ErasureRequest } from './me.schema.ts';

// A person's own erasure request (DELETE /me). pending -> cancelled (the person changed their
// mind) or pending -> done (its run began; the erasure then removes the request with everything
// else, so `done` is seen only while the erasure runs). A new request may follow a cancelled one.

export const DAY_MS = 86_400_000;

export { DEFAULT_GRACE_DAYS, MAX_GRACE_DAYS } from './erasure-grace.ts';

export interface ErasureChange {
  readonly request: ErasureRequest;
  readonly events: DomainEvent[];
}

/** Asking while a request is pending (or running) changes nothing; otherwise a new one runs `graceDays` from now. */
export function requestErasure(current: ErasureRequest | undefined, customerId: string, now: Date, graceDays: number): ErasureChange {
  if (current && current.status !== 'cancelled') return { request: current, events: [] };
  const requestedAt = now.toISOString();
  // Whole seconds: a one-off schedule's at() has no finer resolution, so it never fires before runAt.
  const runAt = new Date(Math.ceil((now.getTime() + graceDays * DAY_MS) / 1000) * 1000).toISOString();
  return {
    request: { customerId, status: 'pending', requestedAt, runAt, cancelledAt: null },
    events: [CustomerErasureRequested.of({ customerId, requestedAt, runAt })],
  };
}

/** Only a pending request can be cancelled; one whose run began is past cancelling. */
export function cancelErasure(current: ErasureRequest | undefined, now: Date): ErasureChange {
  if (current?.status === 'done') throw new CustomerBeingErasedError(current.customerId);
  if (current?.status !== 'pending') throw new ErasureRequestNotFoundError();
  return {
    request: { ...current, status: 'cancelled', cancelledAt: now.toISOString() },
    events: [CustomerErasureCancelled.of({ customerId: current.customerId })],
  };
}

/**
 * What a firing schedule (for the request made at `requestedAt`) does now:
 * - `erase`: the request is still pending and due: mark it done, then run the full erasure
 * - `resume`: its run began and did not finish (an earlier firing failed midway): erase again
 * - `early`: pending but not due yet (a schedule fired before its time): schedule it again
 * - `gone`, `cancelled`, `superseded`: nothing to do (no request, cancelled, or a later one owns the name)
 */
export type FireDecision = 'erase' | 'resume' | 'early' | 'gone' | 'cancelled' | 'superseded';

export function fireDecision(current: ErasureRequest | undefined, requestedAt: string, now: Date): FireDecision {
  if (!current) return 'gone';
  if (current.requestedAt !== requestedAt) return 'superseded';
  if (current.status === 'cancelled') return 'cancelled';
  if (current.status === 'done') return 'resume';
  return new Date(current.runAt).getTime() <= now.getTime() ? 'erase' : 'early';
}

/** Its run began: a cancel comes too late, the staff listing no longer shows it. */
export function beginErasure(current: ErasureRequest): ErasureRequest {
  return { ...current, status: 'done' };
}

/** The one-off schedule of a person's request (one per person: a new request replaces it). */
export const erasureScheduleName = (customerId: string) => `erasure-${customerId}`;
