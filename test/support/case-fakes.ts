import { type CounterDelta, counterDeltas, type DayCounters, type ReportDay } from '../../domain/cases/case-counters.ts';
import { faultInjection } from './fault-injection.ts';
import type { CustomerDirectory, OnceGuard } from '../../domain/cases/case-notifications.ts';
import { nextCheckAt } from '../../domain/cases/case-sla.ts';
import type { PublishedArticles } from '../../domain/cases/article-links.ts';
import type { CaseQuery, CaseRepository } from '../../domain/cases/case.repository.ts';
import type { Case, Comment, Queue } from '../../domain/cases/case.schema.ts';
import { DEFAULT_SLA_POLICY, type SlaPolicy } from '../../domain/cases/sla-policy.ts';
import type { Page } from '../../domain/customers/customer.repository.ts';
import type { EmailMessage, EmailSender } from '../../domain/shared/email.ts';
import {
  ConcurrentUpdateError,
  IdempotencyKeyReusedError,
  UnknownCustomerError,
  ValidationError,
} from '../../domain/shared/errors.ts';
import type { Clock, CommandContext } from '../../domain/shared/ports.ts';
import type { DomainEvent } from '../../events/define-event.ts';
import { ALL_QUEUES, CASE_NUMBER_START } from '../../functions/cases/case.keys.ts';
import { decodeCursor, encodeCursor } from '../../functions/shared/cursor.ts';
import { fakeClock } from './fakes.ts';

/** The fakes' cursors hold one sort position. */
const AFTER = { after: { startsWith: '' } };

// In-memory fakes of the cases context's ports, honouring the contract of the DynamoDB adapter
// (functions/cases/case.dynamodb-repository.ts): version-conditional writes, creates that need a
// live customer, increasing case numbers, counters kept with the same counterDeltas (each report
// delta also counts towards the all-queues total), the SLA watch computed at write time with the
// policy the write was given, versioned policies with the default as version 0, and the same
// listing rules (one index per filter combination). Values are copied in and out.

export interface CaseCommit {
  readonly operation: 'create' | 'update';
  readonly caseId: string;
  readonly events: readonly DomainEvent[];
  readonly context: CommandContext;
  readonly comment?: Comment;
}

type Operation = keyof CaseRepository;

export interface FakeCaseRepository extends CaseRepository {
  /** Every committed write that carried events, oldest first. */
  readonly commits: readonly CaseCommit[];
  /** The events of all committed writes, in order (what the outbox would have published). */
  readonly events: readonly DomainEvent[];
  /** Customer ids passed to scrubCustomer, in order. */
  readonly scrubbed: readonly string[];
  /** A customer the repository accepts cases for (the adapter checks the customer item). */
  addCustomer(id: string): void;
  /** The customer is gone (erased or merged): new cases for it fail with UnknownCustomerError. */
  removeCustomer(id: string): void;
  /** The customer was merged into another: profileState says so (and new cases fail as for a gone one). */
  mergeAway(id: string): void;
  /** Puts a case straight into the store (test setup), with its SLA watch; no counters, no events. */
  seed(c: Case, policy?: SlaPolicy): void;
  /** The SLA watch entry of a case (its next check), as the sparse index holds it; null when not watched. */
  slaWatchOf(caseId: string): string | null | undefined;
  /** The counter of open cases of an agent (undefined until a write touched it). */
  agentOpenOf(agentId: string): number | undefined;
  /** The breached-open counter of a queue, or of all queues. */
  breachedOpenOf(queue?: string): number;
  /** The next call of `operation` throws `error` instead of running. */
  failNext(operation: Operation, error: Error): void;
  /** Runs `interleave` just before the next conditional write checks its condition, as a concurrent writer would. */
  beforeNextWrite(interleave: () => Promise<unknown> | void): void;
}

const copy = <T>(value: T): T => structuredClone(value);
const stamp = (c: Case) => `${c.createdAt}#${c.id}`;
const isLive = (c: Case, query: CaseQuery) =>
  (query.status === undefined || c.status === query.status) &&
  (query.queue === undefined || c.queue === query.queue) &&
  (query.assigneeId === undefined || c.assigneeId === query.assigneeId) &&
  (query.priority === undefined || c.priority === query.priority) &&
  (query.customerId === undefined || c.customerId === query.customerId);

/** The adapter's listing rules: status plus at most one other filter. */
function listingName(query: CaseQuery): string {
  const filters = (['queue', 'assigneeId', 'priority', 'customerId'] as const).filter((f) => query[f] !== undefined);
  if (filters.length > 1) {
    throw new ValidationError('Combine status with at most one of queue, assigneeId, priority, customerId.', [
      { path: filters[1]!, message: `cannot be combined with ${filters[0]}` },
    ]);
  }
  const only = filters[0];
  return `cases:${only ?? 'all'}:${only ? query[only] : ''}:${query.status ?? ''}`;
}

export function fakeCaseRepository(options: { clock?: Clock; customers?: readonly string[] } = {}): FakeCaseRepository {
  const clock = options.clock ?? fakeClock();
  const customers = new Set(options.customers ?? []);
  const mergedAway = new Set<string>();
  const cases = new Map<string, { case: Case; slaDue: string | null }>();
  const comments = new Map<string, Comment>();
  const commentClaims = new Map<string, { fingerprint: string; comment: Comment }>();
  const queues = new Map<string, Queue>();
  const policies = new Map<number, SlaPolicy>([[0, DEFAULT_SLA_POLICY]]);
  let currentPolicy = 0;
  let lastNumber = CASE_NUMBER_START;
  const idempotency = new Map<string, { fingerprint: string; result: Case }>();
  const reportDays = new Map<string, Map<string, number>>(); // `${queue}|${day}` -> field -> count
  const breachedOpen = new Map<string, number>();
  const agentOpen = new Map<string, number>();
  const commits: CaseCommit[] = [];
  const scrubbed: string[] = [];
  const faults = faultInjection<Operation>();
  const { injected, concurrentWriter } = faults;


  function apply(deltas: readonly CounterDelta[]) {
    for (const d of deltas) {
      if (d.kind === 'agentOpen') {
        agentOpen.set(d.agentId, (agentOpen.get(d.agentId) ?? 0) + d.by);
        continue;
      }
      for (const queue of [d.queue, ALL_QUEUES]) {
        if (d.kind === 'breachedOpen') {
          breachedOpen.set(queue, (breachedOpen.get(queue) ?? 0) + d.by);
        } else {
          const fields = reportDays.get(`${queue}|${d.day}`) ?? new Map<string, number>();
          fields.set(d.field, (fields.get(d.field) ?? 0) + d.by);
          reportDays.set(`${queue}|${d.day}`, fields);
        }
      }
    }
  }

  function store(c: Case, policy: SlaPolicy) {
    cases.set(c.id, { case: copy(c), slaDue: nextCheckAt(c, policy) });
  }

  function record(operation: CaseCommit['operation'], caseId: string, events: readonly DomainEvent[], context: CommandContext, comment?: Comment) {
    if (events.length || comment) commits.push({ operation, caseId, events: [...events], context: copy(context), ...(comment ? { comment: copy(comment) } : {}) });
  }

  const repo: FakeCaseRepository = {
    get commits() {
      return commits;
    },
    get events() {
      return commits.flatMap((c) => c.events);
    },
    get scrubbed() {
      return scrubbed;
    },
    addCustomer: (id) => void customers.add(id),
    removeCustomer: (id) => void customers.delete(id),
    mergeAway: (id) => {
      customers.delete(id);
      mergedAway.add(id);
    },
    seed: (c, policy = policies.get(c.sla.policyVersion) ?? DEFAULT_SLA_POLICY) => store(c, policy),
    slaWatchOf: (caseId) => cases.get(caseId)?.slaDue,
    agentOpenOf: (agentId) => agentOpen.get(agentId),
    breachedOpenOf: (queue = ALL_QUEUES) => breachedOpen.get(queue) ?? 0,
    failNext: faults.failNext,
    beforeNextWrite: faults.beforeNextWrite,

    async nextNumber() {
      injected('nextNumber');
      return ++lastNumber;
    },

    async create(opened, events, context, policy) {
      injected('create');
      const claim = context.idempotency;
      const claimKey = claim ? `${claim.scope}\n${claim.key}` : undefined;
      const earlier = claimKey ? idempotency.get(claimKey) : undefined;
      if (earlier) {
        if (earlier.fingerprint !== claim?.fingerprint) throw new IdempotencyKeyReusedError();
        return { case: copy(earlier.result), replayed: true };
      }
      if (!customers.has(opened.customerId) || cases.has(opened.id)) throw new UnknownCustomerError(opened.customerId);
      store(opened, policy);
      if (claimKey && claim) idempotency.set(claimKey, { fingerprint: claim.fingerprint, result: copy(opened) });
      apply(counterDeltas(undefined, opened, clock.now()));
      record('create', opened.id, events, context);
      return { case: copy(opened), replayed: false };
    },

    async get(id) {
      injected('get');
      return copy(cases.get(id)?.case);
    },

    async list(query) {
      injected('list');
      const name = listingName(query);
      const sorted = [...cases.values()]
        .map((entry) => entry.case)
        .filter((c) => isLive(c, query))
        .sort((a, b) => (stamp(a) < stamp(b) ? 1 : stamp(a) > stamp(b) ? -1 : 0));
      const after = query.cursor === undefined ? undefined : decodeCursor(name, query.cursor, AFTER).after;
      const rest = after === undefined ? sorted : sorted.filter((c) => stamp(c) < after);
      const items = rest.slice(0, query.limit);
      const last = items.at(-1);
      return { items: items.map(copy), nextCursor: rest.length > query.limit && last ? encodeCursor(name, { after: stamp(last) }) : null };
    },

    async update(previous, next, events, context, policy, comment) {
      injected('update');
      await concurrentWriter();
      const claim = comment ? context.idempotency : undefined;
      const earlier = claim ? commentClaims.get(`${claim.scope}\n${claim.key}`) : undefined;
      if (earlier) {
        if (earlier.fingerprint !== claim?.fingerprint) throw new IdempotencyKeyReusedError();
        return copy(earlier.comment);
      }
      const stored = cases.get(previous.id);
      if (!stored || stored.case.version !== previous.version) throw new ConcurrentUpdateError();
      store(next, policy);
      if (comment) comments.set(`${comment.caseId}|${comment.createdAt}|${comment.id}`, copy(comment));
      apply(counterDeltas(previous, next, clock.now()));
      record('update', next.id, events, context, comment);
      if (claim && comment) commentClaims.set(`${claim.scope}\n${claim.key}`, { fingerprint: claim.fingerprint, comment: copy(comment) });
      return undefined;
    },

    async comments(caseId, { limit, cursor, publicOnly }): Promise<Page<Comment>> {
      injected('comments');
      const name = `comments:${caseId}:${publicOnly ? 'public' : 'all'}`;
      const keyOf = (c: Comment) => `${c.createdAt}#${c.id}`;
      const all = [...comments.values()]
        .filter((c) => c.caseId === caseId && (!publicOnly || c.visibility === 'public'))
        .sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
      const after = cursor === undefined ? undefined : decodeCursor(name, cursor, AFTER).after;
      const rest = after === undefined ? all : all.filter((c) => keyOf(c) > after);
      const items = rest.slice(0, limit);
      const last = items.at(-1);
      return { items: items.map(copy), nextCursor: rest.length > limit && last ? encodeCursor(name, { after: keyOf(last) }) : null };
    },

    async profileState(customerId) {
      injected('profileState');
      return customers.has(customerId) ? 'live' : mergedAway.has(customerId) ? 'merged' : 'missing';
    },

    async casesOf(customerId) {
      injected('casesOf');
      return [...cases.values()].map((entry) => entry.case).filter((c) => c.customerId === customerId).map(copy);
    },

    async queue(name) {
      injected('queue');
      return copy(queues.get(name));
    },

    async putQueue(queue) {
      injected('putQueue');
      queues.set(queue.name, copy(queue));
    },

    async openCounts(agentIds) {
      injected('openCounts');
      return new Map([...new Set(agentIds)].filter((id) => agentOpen.has(id)).map((id) => [id, agentOpen.get(id)!]));
    },

    async dueForSla(now, limit) {
      injected('dueForSla');
      const at = now.toISOString();
      return [...cases.values()]
        .filter((entry): entry is { case: Case; slaDue: string } => entry.slaDue !== null && entry.slaDue <= at)
        .sort((a, b) => (`${a.slaDue}#${a.case.id}` < `${b.slaDue}#${b.case.id}` ? -1 : 1))
        .slice(0, limit)
        .map((entry) => copy(entry.case));
    },

    async policy(version) {
      injected('policy');
      return copy(policies.get(version ?? currentPolicy) ?? DEFAULT_SLA_POLICY);
    },

    async savePolicy(policy, previousVersion) {
      injected('savePolicy');
      await concurrentWriter();
      if (currentPolicy !== previousVersion || policies.has(policy.version)) throw new ConcurrentUpdateError();
      policies.set(policy.version, copy(policy));
      currentPolicy = policy.version;
    },

    async reportDays(from, to, queue) {
      injected('reportDays');
      const q = queue ?? ALL_QUEUES;
      const days: ReportDay[] = [...reportDays]
        .filter(([key]) => {
          const [kq, day = ''] = key.split('|');
          return kq === q && day >= from && day <= to;
        })
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([key, fields]) => ({ day: key.split('|')[1] ?? '', counters: Object.fromEntries(fields) as DayCounters }));
      return { days, breachedOpen: breachedOpen.get(q) ?? 0 };
    },

    async scrubCustomer(customerId, _context, knownCaseIds = []) {
      void knownCaseIds; // the fake's listing is always current
      injected('scrubCustomer');
      scrubbed.push(customerId);
      let count = 0;
      for (const entry of cases.values()) {
        if (entry.case.customerId !== customerId) continue;
        entry.case = { ...entry.case, subject: '[erased]', description: null, tags: [] };
        for (const [key, comment] of comments) if (comment.caseId === entry.case.id) comments.set(key, { ...comment, body: '[erased]' });
        count++;
      }
      return count;
    },
  };
  return repo;
}

export interface FakeEmailSender extends EmailSender {
  /** Messages handed over successfully, oldest first. */
  readonly sent: readonly EmailMessage[];
  /** The next send throws `error` (as SES would on a throttle) and sends nothing. */
  failNext(error?: Error): void;
}

export function fakeEmailSender(): FakeEmailSender {
  const sent: EmailMessage[] = [];
  let failure: Error | undefined;
  return {
    get sent() {
      return sent;
    },
    failNext(error = new Error('SES throttled the send')) {
      failure = error;
    },
    async send(message) {
      if (failure) {
        const error = failure;
        failure = undefined;
        throw error;
      }
      sent.push(copy(message));
      return { messageId: `msg-${sent.length}` };
    },
  };
}

export interface FakeOnceGuard extends OnceGuard {
  /** Keys held, in progress or done. */
  readonly claimed: ReadonlySet<string>;
  state(key: string): 'claimed' | 'done' | undefined;
  /** The next `done` throws (the attempt died after its work, before marking it done). */
  failNextDone(error: Error): void;
}

/**
 * The table's claim item (functions/shared/once-guard.ts), in memory: a conditional put that takes
 * a free key or a claim whose lease ran out (measured on `clock`), `done` for good, `release` of
 * a claim in progress only.
 */
export function fakeOnceGuard(options: { clock?: Clock; leaseMs?: number } = {}): FakeOnceGuard {
  const held = new Map<string, { state: 'claimed' | 'done'; leaseUntil: number }>();
  const now = () => options.clock?.now().getTime() ?? 0;
  const faults = faultInjection<'done'>();
  return {
    get claimed() {
      return new Set(held.keys());
    },
    state: (key) => held.get(key)?.state,
    failNextDone: (error) => faults.failNext('done', error),
    async claim(key) {
      const current = held.get(key);
      if (current?.state === 'done') return 'done';
      if (current && current.leaseUntil > now()) return 'busy';
      held.set(key, { state: 'claimed', leaseUntil: now() + (options.leaseMs ?? Number.POSITIVE_INFINITY) });
      return 'claimed';
    },
    async done(key) {
      faults.injected('done');
      held.set(key, { state: 'done', leaseUntil: Number.POSITIVE_INFINITY });
    },
    async release(key) {
      if (held.get(key)?.state === 'claimed') held.delete(key);
    },
  };
}

/** Labels customers the way the profile reader does; unknown ids read as "customer <id>". */
export function fakeCustomerDirectory(labels: Readonly<Record<string, string>> = {}): CustomerDirectory {
  return { label: async (customerId) => labels[customerId] ?? `customer ${customerId}` };
}

/** The published knowledge-base articles the cases context can link (id -> title and slug). */
export function fakePublishedArticles(live: Record<string, { title: string; slug: string }> = {}): PublishedArticles {
  return {
    async published(ids) {
      return new Map(ids.flatMap((id) => (live[id] ? [[id, live[id]] as const] : [])));
    },
  };
}
