import {
  type CreateOutcome,
  type CustomerQuery,
  type CustomerRepository,
  type Page,
  type PersonRef,
  personKey,
  type TimelineQuery,
} from '../../domain/customers/customer.repository.ts';
import type { Customer } from '../../domain/customers/customer.schema.ts';
import type { Identity, IdentityType } from '../../domain/customers/identity.ts';
import type { Interaction } from '../../domain/customers/interaction.schema.ts';
import { type CustomerStats, withInteraction } from '../../domain/customers/stats.ts';
import {
  ConcurrentUpdateError,
  ConflictError,
  EmailTakenError,
  IdempotencyKeyReusedError,
  IdentityTakenError,
} from '../../domain/shared/errors.ts';
import type { Clock, CommandContext, IdGenerator } from '../../domain/shared/ports.ts';
import type { DomainEvent } from '../../events/define-event.ts';
import { decodeCursor, encodeCursor } from '../../functions/shared/cursor.ts';
import { faultInjection } from './fault-injection.ts';

/** The fakes' cursors hold one sort position. */
const AFTER = { after: { startsWith: '' } };

// In-memory fakes of the domain's ports, honouring the same contract as the DynamoDB adapter
// (functions/customers/dynamo): unique identities (the email among them), version- and
// revision-conditional writes, idempotent creates, newest-first pages with opaque cursors,
// merges followed on resolve, erasure that leaves only anonymous stats. Values are copied in and
// out so a test cannot change stored state by accident.

/** A clock that stands still until the test moves it. */
export interface FakeClock extends Clock {
  advance(ms: number): Date;
  set(at: Date | string): void;
}

export function fakeClock(start: Date | string = '2025-01-15T09:00:00.000Z'): FakeClock {
  let current = new Date(start).getTime();
  return {
    now: () => new Date(current),
    advance(ms) {
      current += ms;
      return new Date(current);
    },
    set(at) {
      current = new Date(at).getTime();
    },
  };
}

/** Ids `<prefix>-0001`, `<prefix>-0002`, ...: predictable, path-safe and sortable. */
export function sequentialIds(prefix = 'id'): IdGenerator & { readonly issued: number } {
  let n = 0;
  return {
    next: () => `${prefix}-${String(++n).padStart(4, '0')}`,
    get issued() {
      return n;
    },
  };
}

export interface RecordedCommit {
  readonly operation: 'create' | 'update' | 'linkIdentity' | 'completeMerge' | 'erase' | 'saveInteractions';
  readonly customerId: string;
  readonly events: readonly DomainEvent[];
  readonly context: CommandContext;
}

type Operation = keyof CustomerRepository;

export interface FakeCustomerRepository extends CustomerRepository {
  /** Every committed write that carried events, oldest first. */
  readonly commits: readonly RecordedCommit[];
  /** The events of all committed writes, in order (what the outbox would have published). */
  readonly events: readonly DomainEvent[];
  /** Stored profiles, merged tombstones included. */
  readonly size: number;
  /** Every stored interaction, anonymous ones included. */
  readonly interactions: readonly Interaction[];
  /** What erasure keeps about an id: when, and the anonymous aggregate stats. */
  erasureOf(id: string): { erasedAt: string; stats: CustomerStats } | undefined;
  /** Puts a customer straight into the store (test setup), with its email identity; no events. */
  seed(customer: Customer): void;
  /** The next call of `operation` throws `error` instead of running. */
  failNext(operation: Operation, error: Error): void;
  /**
   * Runs `interleave` just before the next conditional write (update, saveInteractions,
   * completeMerge, erase) checks its condition, as a concurrent writer would. The write then
   * succeeds or fails on its condition exactly as it would for real.
   */
  beforeNextWrite(interleave: () => Promise<unknown> | void): void;
}

const copy = <T>(value: T): T => structuredClone(value);
const newestFirst = <T>(key: (item: T) => string) => (a: T, b: T) => (key(a) < key(b) ? 1 : key(a) > key(b) ? -1 : 0);
const profileOrder = (c: Customer) => `${c.createdAt}#${c.id}`;
const timelineOrder = (i: Interaction) => `${i.occurredAt}#${i.id}`;
const MAX_MERGE_HOPS = 5;

export function fakeCustomerRepository(options: { clock?: Clock; customers?: readonly Customer[] } = {}): FakeCustomerRepository {
  const clock = options.clock ?? fakeClock();
  const profiles = new Map<string, Customer>();
  const owners = new Map<string, Identity>();
  const timeline = new Map<string, Interaction>();
  const idempotency = new Map<string, { fingerprint: string; result: Customer }>();
  const savedClaims = new Map<string, { fingerprint: string; result: unknown; customerIds: (string | null)[] }>();
  const erasures = new Map<string, { erasedAt: string; stats: CustomerStats }>();
  const commits: RecordedCommit[] = [];
  const faults = faultInjection<Operation>();
  const { injected, concurrentWriter } = faults;

  const ownerKey = (type: IdentityType, value: string) => `${type}:${value}`;
  const writable = (id: string) => {
    const stored = profiles.get(id);
    return stored && !stored.mergedInto ? stored : undefined;
  };


  function record(operation: RecordedCommit['operation'], customerId: string, events: readonly DomainEvent[], context: CommandContext) {
    if (events.length) commits.push({ operation, customerId, events: [...events], context: copy(context) });
  }

  function page<T>(all: T[], order: (item: T) => string, query: string, limit: number, cursor: string | undefined): Page<T> {
    const sorted = all.sort(newestFirst(order));
    const after = cursor === undefined ? undefined : decodeCursor(query, cursor, AFTER).after;
    const rest = after === undefined ? sorted : sorted.filter((item) => order(item) < after);
    const items = rest.slice(0, limit);
    const last = items.at(-1);
    return { items: items.map(copy), nextCursor: rest.length > limit && last ? encodeCursor(query, { after: order(last) }) : null };
  }

  function current(id: string | undefined): Customer | undefined {
    let customer = id ? profiles.get(id) : undefined;
    for (let hop = 0; customer?.mergedInto && hop < MAX_MERGE_HOPS; hop++) customer = profiles.get(customer.mergedInto);
    return customer?.mergedInto ? undefined : customer;
  }

  const repo: FakeCustomerRepository = {
    get commits() {
      return commits;
    },
    get events() {
      return commits.flatMap((c) => c.events);
    },
    get size() {
      return profiles.size;
    },
    get interactions() {
      return [...timeline.values()].map(copy);
    },
    erasureOf: (id) => copy(erasures.get(id)),

    seed(customer) {
      profiles.set(customer.id, copy(customer));
      if (customer.email) owners.set(ownerKey('email', customer.email), { type: 'email', value: customer.email, customerId: customer.id, linkedAt: customer.createdAt });
    },

    failNext: faults.failNext,

    beforeNextWrite: faults.beforeNextWrite,

    async get(id) {
      injected('get');
      return copy(profiles.get(id));
    },

    async findByIdentity(type, value) {
      injected('findByIdentity');
      const owner = owners.get(ownerKey(type, value));
      return owner ? copy(profiles.get(owner.customerId)) : undefined;
    },

    async list({ tag, limit, cursor }: CustomerQuery) {
      injected('list');
      const all = [...profiles.values()].filter((c) => !c.mergedInto && (tag === undefined || c.tags.includes(tag)));
      return page(all, profileOrder, tag === undefined ? 'all' : `tag:${tag}`, limit, cursor);
    },

    async create(customer, events, context): Promise<CreateOutcome> {
      injected('create');
      const claim = context.idempotency;
      const claimKey = claim ? `${claim.scope}\n${claim.key}` : undefined;
      const earlier = claimKey ? idempotency.get(claimKey) : undefined;
      if (earlier) {
        if (earlier.fingerprint !== claim?.fingerprint) throw new IdempotencyKeyReusedError();
        return { customer: copy(earlier.result), replayed: true };
      }
      if (profiles.has(customer.id) || owners.has(ownerKey('email', customer.email))) throw new EmailTakenError();
      repo.seed(customer);
      if (claimKey && claim) idempotency.set(claimKey, { fingerprint: claim.fingerprint, result: copy(customer) });
      record('create', customer.id, events, context);
      return { customer: copy(customer), replayed: false };
    },

    async update(previous, next, events, context) {
      injected('update');
      await concurrentWriter();
      const stored = writable(previous.id);
      if (!stored || stored.version !== previous.version) throw new ConcurrentUpdateError();
      const emailOwner = owners.get(ownerKey('email', next.email));
      if (emailOwner && emailOwner.customerId !== next.id) throw new EmailTakenError();
      if (next.email !== previous.email) {
        owners.delete(ownerKey('email', previous.email));
        owners.set(ownerKey('email', next.email), { type: 'email', value: next.email, customerId: next.id, linkedAt: next.updatedAt });
      }
      // Like the adapter, only the profile fields move; stats belong to saveInteractions.
      const { email, firstName, lastName, phone, locale, timezone, attributes, tags, updatedAt, version } = next;
      profiles.set(next.id, copy({ ...stored, email, firstName, lastName, phone, locale, timezone, attributes, tags, updatedAt, version }));
      record('update', next.id, events, context);
    },

    async identitiesOf(customerId) {
      injected('identitiesOf');
      return [...owners.values()]
        .filter((o) => o.customerId === customerId)
        .sort((a, b) => `${a.type}#${a.value}`.localeCompare(`${b.type}#${b.value}`))
        .map(copy);
    },

    async linkIdentity(customer, { type, value }, events, context) {
      injected('linkIdentity');
      const owner = owners.get(ownerKey(type, value));
      if (owner?.customerId === customer.id) return { identity: copy(owner), created: false };
      if (owner) throw new IdentityTakenError(type, value, owner.customerId);
      if (!writable(customer.id)) throw new ConflictError(`Customer ${customer.id} was merged or erased meanwhile.`);
      const identity: Identity = { type, value, customerId: customer.id, linkedAt: clock.now().toISOString() };
      owners.set(ownerKey(type, value), identity);
      record('linkIdentity', customer.id, events, context);
      return { identity: copy(identity), created: true };
    },

    async resolve(refs: readonly PersonRef[]) {
      injected('resolve');
      const found = new Map<string, Customer | undefined>();
      for (const ref of refs) {
        const id = ref.kind === 'id' ? ref.value : owners.get(ownerKey(ref.kind, ref.value))?.customerId;
        found.set(personKey(ref), copy(current(id)));
      }
      return found;
    },

    async saveInteractions(interactions, changes, events, context, once) {
      injected('saveInteractions');
      await concurrentWriter();
      const claimKey = once ? `${once.claim.scope}\n${once.claim.key}` : undefined;
      const earlier = claimKey ? savedClaims.get(claimKey) : undefined;
      if (earlier) {
        if (earlier.fingerprint !== once?.claim.fingerprint) throw new IdempotencyKeyReusedError();
        return { replayed: copy(earlier.result) };
      }
      for (const { customer } of changes) {
        const stored = writable(customer.id);
        if (!stored || stored.statsRevision !== customer.statsRevision) throw new ConcurrentUpdateError();
      }
      for (const interaction of interactions) timeline.set(interaction.id, copy(interaction));
      for (const { customer, stats } of changes) {
        const stored = profiles.get(customer.id)!;
        profiles.set(customer.id, { ...stored, stats: copy(stats), statsRevision: customer.statsRevision + 1 });
      }
      if (claimKey && once) savedClaims.set(claimKey, { fingerprint: once.claim.fingerprint, result: copy(once.result), customerIds: interactions.map((i) => i.customerId) });
      record('saveInteractions', interactions[0]?.customerId ?? '', events, context);
      return undefined;
    },

    async timeline(customerId, { limit, cursor, channel, type, hiddenKinds = [] }: TimelineQuery) {
      injected('timeline');
      const entries = [...timeline.values()].filter(
        (i) =>
          i.customerId === customerId && (channel === undefined || i.channel === channel) && (type === undefined || i.type === type) && !hiddenKinds.includes(i.kind),
      );
      return page(entries, timelineOrder, `timeline:${customerId}:${channel ?? ''}:${type ?? ''}`, limit, cursor);
    },

    async adoptAnonymous(anonymousId, customerId) {
      injected('adoptAnonymous');
      const customer = writable(customerId);
      if (!customer) return 0;
      const entries = [...timeline.values()].filter((i) => i.customerId === null && i.anonymousId === anonymousId);
      let stats = customer.stats;
      for (const entry of entries) {
        const adopted = { ...entry, customerId };
        timeline.set(entry.id, adopted);
        stats = withInteraction(stats, adopted);
      }
      if (entries.length) profiles.set(customerId, { ...customer, stats, statsRevision: customer.statsRevision + 1 });
      return entries.length;
    },

    async moveIdentities(sourceId, targetId) {
      injected('moveIdentities');
      for (const [key, owner] of owners) if (owner.customerId === sourceId) owners.set(key, { ...owner, customerId: targetId });
    },

    async completeMerge(before, after, events, context) {
      injected('completeMerge');
      await concurrentWriter();
      for (const side of [before.target, before.source]) {
        const stored = writable(side.id);
        if (!stored || stored.version !== side.version || stored.statsRevision !== side.statsRevision) throw new ConcurrentUpdateError();
      }
      const storedTarget = profiles.get(after.target.id)!;
      profiles.set(after.target.id, copy({ ...after.target, email: storedTarget.email }));
      profiles.set(after.source.id, copy(after.source));
      record('completeMerge', after.target.id, events, context);
    },

    async moveTimeline(sourceId, targetId) {
      injected('moveTimeline');
      for (const [id, entry] of timeline) if (entry.customerId === sourceId) timeline.set(id, { ...entry, customerId: targetId });
    },

    async exportData(customerId) {
      injected('exportData');
      return {
        identities: await repo.identitiesOf(customerId),
        interactions: [...timeline.values()].filter((i) => i.customerId === customerId).sort(newestFirst(timelineOrder)).map(copy),
        // Sales data lives in the sales context's items; the e2e tests cover it in the export.
        accounts: [],
        ownedProducts: [],
        leads: [],
      };
    },

    async erase(customer, eventsFor, context) {
      injected('erase');
      await concurrentWriter();
      const stored = profiles.get(customer.id);
      if (!stored || stored.version !== customer.version) throw new ConcurrentUpdateError();
      // The profiles merged into this one, however long ago and however indirectly.
      const mergedFrom: string[] = [];
      for (let grew = true; grew; ) {
        grew = false;
        for (const p of profiles.values()) {
          if (p.mergedInto && (p.mergedInto === customer.id || mergedFrom.includes(p.mergedInto)) && !mergedFrom.includes(p.id)) {
            mergedFrom.push(p.id);
            grew = true;
          }
        }
      }
      const ids = [customer.id, ...mergedFrom];
      for (const [key, owner] of owners) if (ids.includes(owner.customerId)) owners.delete(key);
      const caseIds = new Set<string>();
      for (const [id, entry] of timeline) {
        if (entry.customerId === null || !ids.includes(entry.customerId)) continue;
        const caseId = (entry.data as { caseId?: unknown }).caseId;
        if ((entry.kind === 'case' || entry.kind === 'case_comment') && typeof caseId === 'string') caseIds.add(caseId);
        timeline.delete(id);
      }
      for (const [key, entry] of idempotency) if (ids.includes(entry.result.id)) idempotency.delete(key);
      for (const [key, entry] of savedClaims) if (entry.customerIds.some((id) => id !== null && ids.includes(id))) savedClaims.delete(key);
      for (const id of ids) profiles.delete(id);
      erasures.set(customer.id, { erasedAt: clock.now().toISOString(), stats: copy(stored.stats) });
      record('erase', customer.id, eventsFor(mergedFrom, [...caseIds]), context);
    },
  };

  for (const customer of options.customers ?? []) repo.seed(customer);
  return repo;
}
