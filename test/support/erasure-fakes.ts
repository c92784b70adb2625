import type { ErasureRequestRepository } from '../../domain/customers/erasure-request.repository.ts';
import type { ErasureRequest } from '../../domain/customers/me.schema.ts';
import { ConcurrentUpdateError, type DomainError } from '../../domain/shared/errors.ts';
import type { OneOffSchedules, ScheduleTarget } from '../../domain/shared/ports.ts';
import type { DomainEvent } from '../../events/define-event.ts';
import type { CustomerMail } from '../../domain/customers/erasure-notice.ts';

export interface FakeErasureRequests extends ErasureRequestRepository {
  /** The events of every committed save, in order (what the outbox would have published). */
  readonly events: readonly DomainEvent[];
  /** Puts a request straight into the store (test setup), no events. */
  seed(request: ErasureRequest): void;
  /** The person's request is gone (their erasure removed it with everything else). */
  remove(customerId: string): void;
  /** Runs `interleave` just before the next conditional write checks its condition, as a concurrent writer would. */
  beforeNextWrite(interleave: () => Promise<unknown> | void): void;
}

/**
 * In-memory ErasureRequestRepository with the DynamoDB adapter's conditions. `refusal` plays the
 * erasure guard: the named error for a customer who may not be written to (none: writable).
 */
export function fakeErasureRequests(refusal: (customerId: string) => Promise<DomainError | undefined> = async () => undefined): FakeErasureRequests {
  const stored = new Map<string, ErasureRequest>();
  const events: DomainEvent[] = [];
  let interleave: (() => Promise<unknown> | void) | undefined;

  async function putIfStill(previous: ErasureRequest | undefined, next: ErasureRequest) {
    const run = interleave;
    interleave = undefined;
    await run?.();
    const now = stored.get(next.customerId);
    const still = previous ? now?.status === previous.status && now.requestedAt === previous.requestedAt : now === undefined;
    if (!still) throw new ConcurrentUpdateError();
  }

  return {
    events,
    seed: (request) => void stored.set(request.customerId, structuredClone(request)),
    remove: (customerId) => void stored.delete(customerId),
    beforeNextWrite: (fn) => void (interleave = fn),
    get: async (customerId) => structuredClone(stored.get(customerId)),
    async save(previous, next, list) {
      const refused = await refusal(next.customerId);
      if (refused) throw refused;
      await putIfStill(previous, next);
      stored.set(next.customerId, structuredClone(next));
      events.push(...list);
    },
    async begin(request, next) {
      await putIfStill(request, next);
      stored.set(next.customerId, structuredClone(next));
    },
    async listPending({ limit, cursor }) {
      const order = (r: ErasureRequest) => `${r.runAt}#${r.customerId}`;
      const pending = [...stored.values()].filter((r) => r.status === 'pending').sort((a, b) => order(a).localeCompare(order(b)));
      const from = cursor ? pending.findIndex((r) => order(r) > cursor) : 0;
      const page = (from < 0 ? [] : pending.slice(from)).slice(0, limit + 1);
      const items = page.slice(0, limit).map((r) => structuredClone(r));
      return { items, nextCursor: page.length > limit ? order(items.at(-1)!) : null };
    },
  };
}

export interface ScheduleCall {
  readonly op: 'at' | 'cancel';
  readonly name: string;
  readonly at?: string;
  readonly target?: ScheduleTarget;
  readonly input?: Record<string, unknown>;
}

/** OneOffSchedules that records its calls; `failNext` makes the next call throw (the scheduler unreachable). */
export function fakeSchedules(): OneOffSchedules & { readonly calls: ScheduleCall[]; failNext(error: Error): void } {
  const calls: ScheduleCall[] = [];
  let failure: Error | undefined;
  const maybeFail = () => {
    const error = failure;
    failure = undefined;
    if (error) throw error;
  };
  return {
    calls,
    failNext: (error) => void (failure = error),
    async at(name, at, target, input) {
      maybeFail();
      calls.push({ op: 'at', name, at, target, input });
    },
    async cancel(name) {
      maybeFail();
      calls.push({ op: 'cancel', name });
    },
  };
}

export interface SentMail {
  readonly customerId: string;
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly deliveryKey: string;
}

/** CustomerMail over a fake customer store: `recipient` reads it, `send` records (or throws once after `failNext`). */
export function fakeCustomerMail(people: { get(id: string): Promise<{ email: string; firstName: string | null } | undefined> }): CustomerMail & { readonly sent: SentMail[]; failNext(error: Error): void } {
  const sent: SentMail[] = [];
  let failure: Error | undefined;
  return {
    sent,
    failNext: (error) => void (failure = error),
    async recipient(customerId) {
      const person = await people.get(customerId);
      return person ? { email: person.email, firstName: person.firstName } : undefined;
    },
    async send(customerId, message) {
      const error = failure;
      failure = undefined;
      if (error) throw error;
      sent.push({ customerId, ...message });
    },
  };
}
