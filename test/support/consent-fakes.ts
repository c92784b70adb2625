import type { ConsentRepository, Delivery, Recipient } from '../../domain/consent/consent.repository.ts';
import { faultInjection } from './fault-injection.ts';
import type { ConsentState, LedgerEntry, Suppression, Topic, TopicState } from '../../domain/consent/consent.schema.ts';
import { ConcurrentUpdateError, CustomerErasedError, CustomerMergedError, CustomerNotFoundError } from '../../domain/shared/errors.ts';
import type { CommandContext } from '../../domain/shared/ports.ts';
import type { DomainEvent } from '../../events/define-event.ts';
import { decodeCursor, encodeCursor } from '../../functions/shared/cursor.ts';

// An in-memory ConsentRepository honouring the contract of the DynamoDB adapter
// (functions/consent/consent.dynamodb-repository.ts): `append` is one transaction that fails as a
// whole with ConcurrentUpdateError when any topic state is no longer `expected` (an absent state
// counts as `none`); `suppress` is a conditional put that returns false, and records no events,
// when the address is already suppressed; the ledger reads back in `at#id` order; deliveries are
// kept only for a customer who is still there, while their events always commit, and a delivery key
// records once; `append` about a customer who is gone fails with CustomerErasedError /
// CustomerNotFoundError; `anonymize` drops ip and user agent
// from the ledger and deletes the deliveries. Values are copied in and out.
//
// The recording EmailSender lives in case-fakes.ts (`fakeEmailSender`); it is re-exported here so
// consent tests import their fakes from one place.
export { type FakeEmailSender, fakeEmailSender } from './case-fakes.ts';

export interface ConsentCommit {
  readonly operation: 'append' | 'suppress' | 'recordDelivery';
  readonly events: readonly DomainEvent[];
  readonly context: CommandContext;
}

type Operation = keyof ConsentRepository;
type StateWrite = Parameters<ConsentRepository['append']>[1][number];

export interface FakeConsentRepository extends ConsentRepository {
  /** Every committed write, oldest first (failed or no-op writes are not here). */
  readonly commits: readonly ConsentCommit[];
  /** The events of all committed writes, in order (what the outbox would have published). */
  readonly events: readonly DomainEvent[];
  /** Every delivery stored (sent or blocked), oldest first; only customer-bound ones, as the adapter keeps. */
  readonly deliveries: readonly Delivery[];
  /** A live customer the consent context can read (its email is its identity). */
  addCustomer(recipient: Recipient): void;
  /** The customer's profile is gone and only its erasure record is left. */
  markErased(customerId: string): void;
  /** The customer was merged into `targetId`: writes about it are refused with CustomerMergedError. */
  markMerged(customerId: string, targetId: string): void;
  /** The next call of `operation` throws `error` instead of running. */
  failNext(operation: Operation, error: Error): void;
  /**
   * Runs `interleave` just before the next `append` checks its expected states, as a concurrent
   * request would; the append then succeeds or fails on its condition exactly as it would for real.
   */
  beforeNextAppend(interleave: () => Promise<unknown> | void): void;
}

const copy = <T>(value: T): T => structuredClone(value);
const ledgerOrder = (e: LedgerEntry) => `${e.at}#${e.id}`;
const suppressionOrder = (s: Suppression) => `${s.at}#${s.email}`;
const SUPPRESSION_KEY = { after: { startsWith: '' } };

export function fakeConsentRepository(options: { topics?: readonly Topic[]; customers?: readonly Recipient[] } = {}): FakeConsentRepository {
  let topics: Topic[] = copy([...(options.topics ?? [])]);
  const customers = new Map<string, Recipient>();
  const erased = new Set<string>();
  const merged = new Map<string, string>();
  const states = new Map<string, Map<string, { state: ConsentState; updatedAt: string }>>();
  const ledger: LedgerEntry[] = [];
  const suppressed = new Map<string, Suppression>();
  let deliveries: Delivery[] = [];
  const deliveryKeys = new Set<string>();
  const commits: ConsentCommit[] = [];
  const faults = faultInjection<Operation>();
  const { injected, concurrentWriter } = faults;


  const stateOf = (customerId: string, topic: string): ConsentState => states.get(customerId)?.get(topic)?.state ?? 'none';

  function record(operation: ConsentCommit['operation'], events: readonly DomainEvent[], context: CommandContext) {
    commits.push({ operation, events: [...events], context: copy(context) });
  }

  const repo: FakeConsentRepository = {
    get commits() {
      return commits;
    },
    get events() {
      return commits.flatMap((c) => c.events);
    },
    get deliveries() {
      return deliveries.map(copy);
    },

    addCustomer(recipient) {
      customers.set(recipient.id, copy(recipient));
      erased.delete(recipient.id);
    },

    markErased(customerId) {
      customers.delete(customerId);
      erased.add(customerId);
    },

    markMerged(customerId, targetId) {
      customers.delete(customerId);
      merged.set(customerId, targetId);
    },

    failNext: faults.failNext,

    beforeNextAppend: faults.beforeNextWrite,

    async topics() {
      injected('topics');
      return copy(topics);
    },

    async putTopics(next) {
      injected('putTopics');
      topics = copy([...next]);
    },

    async recipient(customerId) {
      injected('recipient');
      const found = customers.get(customerId);
      if (found) return copy(found);
      return erased.has(customerId) ? 'erased' : undefined;
    },

    async customerIdByEmail(email) {
      injected('customerIdByEmail');
      return [...customers.values()].find((c) => c.email === email)?.id;
    },

    async states(customerId) {
      injected('states');
      return [...(states.get(customerId) ?? new Map()).entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([topic, { state, updatedAt }]): TopicState => ({ topic, state, updatedAt }));
    },

    async ledger(customerId) {
      injected('ledger');
      return ledger
        .filter((e) => e.customerId === customerId)
        .sort((a, b) => (ledgerOrder(a) < ledgerOrder(b) ? -1 : ledgerOrder(a) > ledgerOrder(b) ? 1 : 0))
        .map(copy);
    },

    async append(entries, writes: readonly StateWrite[], events, context) {
      injected('append');
      await concurrentWriter();
      // One transaction: every condition holds, or nothing is written. The people written about
      // must still be there (the adapter's ConditionCheck on each profile).
      const gone = [...writes.map((w) => w.customerId), ...entries.map((e) => e.customerId)].find((id) => !customers.has(id));
      if (gone !== undefined) {
        if (merged.has(gone)) throw new CustomerMergedError(gone, merged.get(gone)!);
        throw erased.has(gone) ? new CustomerErasedError(gone) : new CustomerNotFoundError(gone);
      }
      if (writes.some((w) => stateOf(w.customerId, w.topic) !== w.expected)) throw new ConcurrentUpdateError();
      for (const w of writes) {
        const perCustomer = states.get(w.customerId) ?? new Map();
        perCustomer.set(w.topic, { state: w.state, updatedAt: w.at });
        states.set(w.customerId, perCustomer);
      }
      ledger.push(...entries.map(copy));
      record('append', events, context);
    },

    async suppression(email) {
      injected('suppression');
      return copy(suppressed.get(email));
    },

    async suppress(suppression, events, context) {
      injected('suppress');
      if (suppressed.has(suppression.email)) return false;
      suppressed.set(suppression.email, copy(suppression));
      record('suppress', events, context);
      return true;
    },

    async unsuppress(email) {
      injected('unsuppress');
      return suppressed.delete(email);
    },

    async suppressions({ limit, cursor }) {
      injected('suppressions');
      const sorted = [...suppressed.values()].sort((a, b) => (suppressionOrder(a) < suppressionOrder(b) ? 1 : suppressionOrder(a) > suppressionOrder(b) ? -1 : 0));
      const after = cursor === undefined ? undefined : decodeCursor('suppressions', cursor, SUPPRESSION_KEY).after;
      const rest = after === undefined ? sorted : sorted.filter((s) => suppressionOrder(s) < after);
      const items = rest.slice(0, limit);
      const last = items.at(-1);
      return { items: items.map(copy), nextCursor: rest.length > limit && last ? encodeCursor('suppressions', { after: suppressionOrder(last) }) : null };
    },

    async recordDelivery(delivery, events, context, onceKey) {
      injected('recordDelivery');
      if (onceKey !== undefined) {
        if (deliveryKeys.has(onceKey)) return;
        deliveryKeys.add(onceKey);
      }
      // A customer who is gone gets no record; the events still commit.
      const kept = delivery.customerId !== null && customers.has(delivery.customerId);
      if (kept) deliveries.push(copy(delivery));
      if (kept || events.length) record('recordDelivery', events, context);
    },

    async anonymize(customerId) {
      injected('anonymize');
      let count = 0;
      for (const [i, entry] of ledger.entries()) {
        if (entry.customerId !== customerId) continue;
        ledger[i] = { ...entry, ip: null, userAgent: null };
        count++;
      }
      deliveries = deliveries.filter((d) => d.customerId !== customerId);
      return count;
    },
  };

  for (const customer of options.customers ?? []) repo.addCustomer(customer);
  return repo;
}
