import { ConcurrentUpdateError, CustomerNotFoundError, ErasureRequestNotFoundError } from '../shared/errors.ts';
import type { Clock, CommandContext, OneOffSchedules } from '../shared/ports.ts';
import type { CustomerUseCases } from './customer.use-cases.ts';
import type { ErasureNotices } from './erasure-notice.ts';
import { beginErasure, cancelErasure, erasureScheduleName, type FireDecision, fireDecision, requestErasure } from './erasure-request.ts';
import type { ErasureRequestQuery, ErasureRequestRepository } from './erasure-request.repository.ts';
import type { ErasureRequest } from './me.schema.ts';

/** Lost races on one person's request (a double click, a cancel meeting a run) are few; retry that many. */
const ATTEMPTS = 5;

export interface ErasureRequestDeps {
  readonly requests: ErasureRequestRepository;
  readonly clock: Clock;
  /** ERASURE_GRACE_DAYS, read once at cold start. */
  readonly graceDays: number;
}

/** The person's side (DELETE /me, GET /me/erasure, cancel) and the staff listing. */
export function erasureRequestUseCases({ requests, clock, graceDays }: ErasureRequestDeps) {
  /** flow: 1. read 2. decide 3. conditional write with its events; a lost race is read again. */
  async function change(customerId: string, decide: (current: ErasureRequest | undefined) => ReturnType<typeof requestErasure>, context: CommandContext) {
    for (let attempt = 1; ; attempt++) {
      const current = await requests.get(customerId);
      const { request, events } = decide(current);
      if (events.length === 0) return request;
      try {
        await requests.save(current, request, events, context);
        return request;
      } catch (error) {
        if (!(error instanceof ConcurrentUpdateError) || attempt >= ATTEMPTS) throw error;
      }
    }
  }

  return {
    request: (customerId: string, context: CommandContext) => change(customerId, (current) => requestErasure(current, customerId, clock.now(), graceDays), context),

    cancel: (customerId: string, context: CommandContext) => change(customerId, (current) => cancelErasure(current, clock.now()), context),

    /** The pending request (or the one whose run began); a cancelled one is history, not an answer. */
    async mine(customerId: string): Promise<ErasureRequest> {
      const current = await requests.get(customerId);
      if (!current || current.status === 'cancelled') throw new ErasureRequestNotFoundError();
      return current;
    },

    listPending: (query: ErasureRequestQuery) => requests.listPending(query),
  };
}

export interface ErasureRunDeps {
  readonly requests: ErasureRequestRepository;
  readonly clock: Clock;
  readonly schedules: OneOffSchedules;
  readonly customers: Pick<CustomerUseCases, 'erase'>;
  /** The person's confirmation mail of a new request. */
  readonly notices: Pick<ErasureNotices, 'requested'>;
}

/** The scheduledErasure function's side: keep the schedule in step with the request, and run it when due. */
export function erasureRunUseCases({ requests, clock, schedules, customers, notices }: ErasureRunDeps) {
  /** The schedule's input names the request (requestedAt) and carries the correlation id on to the erasure's events. */
  async function arm(request: ErasureRequest, context: CommandContext) {
    const input = { customerId: request.customerId, requestedAt: request.requestedAt, correlationId: context.correlationId };
    await schedules.at(erasureScheduleName(request.customerId), request.runAt, 'scheduledErasure', input);
  }

  return {
    /**
     * On CustomerErasureRequested or CustomerErasureCancelled: the schedule follows the request as
     * it is now, not as the event says, so events delivered twice or out of order (a cancel
     * arriving after the next request) still leave exactly the schedule the current request needs.
     * `requested`: the event was CustomerErasureRequested for this request time; if that request is
     * the pending one, the person gets its confirmation (once), after the schedule exists.
     */
    async reconcile(customerId: string, context: CommandContext, requested?: string): Promise<'scheduled' | 'unscheduled' | 'running'> {
      const current = await requests.get(customerId);
      if (current?.status === 'pending') {
        await arm(current, context);
        if (requested === current.requestedAt) await notices.requested(current, context);
        return 'scheduled';
      }
      if (current?.status === 'done') return 'running';
      await schedules.cancel(erasureScheduleName(customerId));
      return 'unscheduled';
    },

    /**
     * A schedule fired for the request made at `requestedAt`. flow: 1. read the request 2. decide
     * 3. mark it done (from here on a cancel is refused) 4. the full erasure. A failure throws,
     * Scheduler retries the invocation, and the retry resumes at 4.
     */
    async fire(customerId: string, requestedAt: string, context: CommandContext): Promise<FireDecision> {
      for (let attempt = 1; ; attempt++) {
        const current = await requests.get(customerId);
        const decision = fireDecision(current, requestedAt, clock.now());
        if (decision === 'early') await arm(current!, context);
        if (decision === 'erase') {
          try {
            await requests.begin(current!, beginErasure(current!));
          } catch (error) {
            // Cancelled (or erased) between the read and the mark: decide again on what is there now.
            if (!(error instanceof ConcurrentUpdateError) || attempt >= ATTEMPTS) throw error;
            continue;
          }
        }
        if (decision === 'erase' || decision === 'resume') await eraseIfThere(customers, customerId, context);
        return decision;
      }
    },
  };
}

/** Erasure is idempotent: a person already gone (staff erased them meanwhile) is the wanted outcome. */
async function eraseIfThere(customers: Pick<CustomerUseCases, 'erase'>, customerId: string, context: CommandContext) {
  try {
    await customers.erase(customerId, undefined, context);
  } catch (error) {
    if (!(error instanceof CustomerNotFoundError)) throw error;
  }
}

export type ErasureRequestUseCases = ReturnType<typeof erasureRequestUseCases>;
export type ErasureRunUseCases = ReturnType<typeof erasureRunUseCases>;
