import { log } from './log.ts';

// The seam between the functions' entry points and what is measured per invocation: the HTTP app
// and the event, stream and schedule wrappers call `invocationEnded` once per request or event
// they finish; the metering (units consumed) and the health metrics register what they record.
// One module-level list, filled at import time by the modules that record, never per request.

export interface InvocationSummary {
  /** The bounded context of the function (customers, cases, consent, ...). */
  readonly context: string;
  readonly kind: 'http' | 'event' | 'stream' | 'schedule';
  /** `GET /cases/{id}` for HTTP, the detail-type for an event, the schedule's name. */
  readonly name: string;
  /** HTTP status, or 'ok' / 'failed' for the others. */
  readonly outcome: string;
  readonly durationMs: number;
  readonly correlationId?: string;
}

export type InvocationListener = (summary: InvocationSummary) => void;

const listeners: InvocationListener[] = [];

/** Registers a listener for every finished request or event of this function instance. */
export function onInvocationEnd(listener: InvocationListener): void {
  listeners.push(listener);
}

/** Called by the entry points once per request or event; a listener that throws breaks nothing. */
export function invocationEnded(summary: InvocationSummary): void {
  for (const listener of listeners) {
    try {
      listener(summary);
    } catch (error) {
      log('error', 'invocation listener failed', { error: String(error) });
    }
  }
}
