/** Time comes in through this port so the domain never reads the system clock. */
export interface Clock {
  now(): Date;
}

/** Opaque, sortable-enough unique ids (the adapters decide how). */
export interface IdGenerator {
  next(): string;
}

/** Who asked, as far as the domain cares (for audit fields and idempotency scoping). */
export interface Actor {
  readonly id: string;
  readonly roles: readonly string[];
}

/** A client-supplied retry key plus a fingerprint of the request it was first used with. */
export interface IdempotencyClaim {
  readonly scope: string;
  readonly key: string;
  readonly fingerprint: string;
}

/** Request-wide metadata that ends up in event envelopes. */
export interface CommandContext {
  readonly correlationId: string;
  readonly idempotency?: IdempotencyClaim;
}

/** Waits before retrying a lost optimistic-concurrency race (jittered in the adapter). */
export interface RetryPause {
  pause(attempt: number): Promise<void>;
}

export const NO_PAUSE: RetryPause = { pause: async () => undefined };

/**
 * Port: the work one event causes (an email) is done once, however often the event is delivered.
 * `claimed`: do it now; `done`: it was done; `busy`: another attempt holds the claim, so retry
 * later (a claim whose attempt died runs out after a lease and can be taken over).
 */
export interface OnceGuard {
  claim(key: string): Promise<'claimed' | 'done' | 'busy'>;
  /** After the work succeeded: later claims answer `done`. */
  done(key: string): Promise<void>;
  /** After the work failed: the next delivery may claim it and try again. */
  release(key: string): Promise<void>;
}

/**
 * The functions a one-off schedule may invoke (infra/routes.ts SCHEDULE_TARGETS names the same
 * ones; the scheduler's role may invoke exactly these).
 */
export type ScheduleTarget = 'campaignStarter' | 'campaignTrigger' | 'scheduledErasure' | 'csatSurveys' | 'activityReminders';

/** One-off schedules (AWS: EventBridge Scheduler `at()` in the crm-schedules group; locally the virtual clock). */
export interface OneOffSchedules {
  /** Creates or replaces the schedule `name`: at `at` the target function gets `input`, once; then it is deleted. */
  at(name: string, at: string, target: ScheduleTarget, input: Record<string, unknown>): Promise<void>;
  /** Deletes it; one that already fired or never existed is no error. */
  cancel(name: string): Promise<void>;
}
