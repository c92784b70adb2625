import { ConcurrentUpdateError, CustomerMergedError, CustomerNotFoundError, DomainError, isCustomerGone, NotFoundError, ValidationError } from '../shared/errors.ts';
import { InteractionRecorded } from '#events/interaction-recorded.event.ts';
import { type Clock, type CommandContext, type IdempotencyClaim, type IdGenerator, NO_PAUSE, type RetryPause } from '../shared/ports.ts';
import { type CustomerRepository, type PersonRef, personKey, type StatsChange, type TimelineQuery } from './customer.repository.ts';
import type { Customer } from './customer.schema.ts';
import { BatchItem, type Interaction, type InteractionInput, MAX_FUTURE_MS } from './interaction.schema.ts';
import { type CustomerStats, withInteraction } from './stats.ts';
import { MAX_ATTEMPTS } from './customer.use-cases.ts';

export interface InteractionDeps {
  readonly customers: CustomerRepository;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** Between retries of a lost stats race: racing batches spread out instead of colliding again. */
  readonly retry?: RetryPause;
}

/** Per item: created, or the named domain error for that item (the handler maps it to a problem). */
export type BatchItemResult =
  | { index: number; status: 'created'; id: string; customerId: string | null }
  | { index: number; status: 'error'; error: DomainError };

interface Pending {
  readonly index: number;
  readonly ref: PersonRef;
  readonly input: InteractionInput;
}

/**
 * What a triggered campaign reacts to: ids, channel and type (the data stays on the timeline).
 * Only for a known customer: an anonymous interaction names nobody to mail. Interactions adopted
 * when an anonymous id is linked raise none: they were recorded before, maybe long ago, and
 * mailing someone now about what they did before they were known is not what a trigger means.
 */
const recorded = (i: Interaction) =>
  i.customerId ? [InteractionRecorded.of({ customerId: i.customerId, interactionId: i.id, channel: i.channel, type: i.type, occurredAt: i.occurredAt })] : [];

/** A caller outside a request (a script, a test) gives no context: the interaction starts its own correlation. */
const ownCorrelation = (first: Interaction): CommandContext => ({ correlationId: first.id });

export function interactionUseCases({ customers, clock, ids, retry = NO_PAUSE }: InteractionDeps) {
  function checkTime(input: InteractionInput, now: Date) {
    if (input.occurredAt && Date.parse(input.occurredAt) > now.getTime() + MAX_FUTURE_MS) {
      throw new ValidationError('occurredAt is in the future.', [{ path: 'occurredAt', message: 'must not be more than 5 minutes in the future' }]);
    }
  }

  function build(input: InteractionInput, customerId: string | null, anonymousId: string | null, now: Date): Interaction {
    return {
      kind: 'interaction',
      id: ids.next(),
      customerId,
      anonymousId,
      channel: input.channel,
      type: input.type,
      direction: input.direction ?? null,
      occurredAt: new Date(input.occurredAt ?? now).toISOString(),
      recordedAt: now.toISOString(),
      summary: input.summary ?? null,
      data: input.data ?? {},
      value: input.value ?? null,
    };
  }

  /**
   * flow: 1. resolve every person in batched reads 2. build interactions and the stats they
   * cause 3. one transaction; a moved stats revision means someone else counted too: re-read
   * and retry, so no interaction is counted twice or lost.
   */
  async function save(
    pending: readonly Pending[],
    now: Date,
    context: CommandContext | undefined,
    once?: { claim: IdempotencyClaim; result: (saved: ReadonlyMap<number, BatchItemResult>) => unknown },
  ): Promise<{ results: Map<number, BatchItemResult>; replayed?: unknown }> {
    for (let attempt = 1; ; attempt++) {
      const results = new Map<number, BatchItemResult>();
      const resolved = await customers.resolve(pending.map((p) => p.ref));
      const interactions: Interaction[] = [];
      const stats = new Map<string, { customer: Customer; stats: CustomerStats }>();
      for (const { index, ref, input } of pending) {
        const customer = resolved.get(personKey(ref));
        if (!customer && ref.kind !== 'anonymousId') {
          results.set(index, failure(index, new NotFoundError(`No customer with ${ref.kind === 'id' ? 'id' : ref.kind} ${ref.value}.`)));
          continue;
        }
        const interaction = build(input, customer?.id ?? null, ref.kind === 'anonymousId' ? ref.value : null, now);
        interactions.push(interaction);
        if (customer) {
          const current = stats.get(customer.id) ?? { customer, stats: customer.stats };
          stats.set(customer.id, { customer, stats: withInteraction(current.stats, interaction) });
        }
        results.set(index, { index, status: 'created', id: interaction.id, customerId: interaction.customerId });
      }
      const changes: StatsChange[] = [...stats.values()];
      try {
        if (!interactions.length) return { results };
        const replay = await customers.saveInteractions(interactions, changes, interactions.flatMap(recorded), context ?? ownCorrelation(interactions[0]!), once && { claim: once.claim, result: once.result(results) });
        return replay ? { results, replayed: replay.replayed } : { results };
      } catch (error) {
        // A customer erased or merged meanwhile: the next round resolves its items afresh.
        if (!(error instanceof ConcurrentUpdateError || isCustomerGone(error)) || attempt >= MAX_ATTEMPTS) throw error;
        await retry.pause(attempt);
      }
    }
  }

  /**
   * POST /interactions: each item succeeds or fails on its own. With `once`, `answer` turns the
   * results into what a retry with the same claim gets back, which is stored with the write.
   */
  async function batch<A>(items: readonly unknown[], answer: (results: BatchItemResult[]) => A, claim?: IdempotencyClaim, context?: CommandContext): Promise<A> {
    const now = clock.now();
    const results = new Map<number, BatchItemResult>();
    const pending: Pending[] = [];
    items.forEach((raw, index) => {
      const parsed = BatchItem.safeParse(raw);
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
        results.set(index, failure(index, new ValidationError('The item is invalid.', issues)));
        return;
      }
      const { customerId, email, anonymousId, ...input } = parsed.data;
      try {
        checkTime(input, now);
      } catch (error) {
        results.set(index, failure(index, error));
        return;
      }
      const ref: PersonRef =
        customerId !== undefined ? { kind: 'id', value: customerId } : email !== undefined ? { kind: 'email', value: email } : { kind: 'anonymousId', value: anonymousId! };
      pending.push({ index, ref, input });
    });
    const all = (saved: ReadonlyMap<number, BatchItemResult>) => items.map((_, index) => saved.get(index) ?? results.get(index)!);
    if (!pending.length) return answer(all(results));
    const saved = await save(pending, now, context, claim && { claim, result: (done) => answer(all(done)) });
    return 'replayed' in saved ? (saved.replayed as A) : answer(all(saved.results));
  }

  return {
    recordBatch: (items: readonly unknown[], context?: CommandContext) => batch(items, (results) => results, undefined, context),

    /** POST /interactions with an Idempotency-Key: a retry gets the first call's answer back. */
    recordBatchOnce: <A>(items: readonly unknown[], answer: (results: BatchItemResult[]) => A, claim?: IdempotencyClaim, context?: CommandContext) =>
      batch(items, answer, claim, context),

    /** POST /customers/{id}/interactions; a retry with the claim of an earlier call gets that call's interaction. */
    async recordOne(customerId: string, input: InteractionInput, idempotency?: IdempotencyClaim, context?: CommandContext): Promise<Interaction> {
      const now = clock.now();
      checkTime(input, now);
      const customer = await customers.get(customerId);
      if (!customer) throw new CustomerNotFoundError(customerId);
      if (customer.mergedInto) throw new CustomerMergedError(customerId, customer.mergedInto);
      for (let attempt = 1; ; attempt++) {
        const current = attempt === 1 ? customer : await customers.get(customerId);
        if (!current || current.mergedInto) throw new CustomerNotFoundError(customerId);
        const interaction = build(input, customerId, null, now);
        try {
          const change = { customer: current, stats: withInteraction(current.stats, interaction) };
          const replay = await customers.saveInteractions([interaction], [change], recorded(interaction), context ?? ownCorrelation(interaction), idempotency && { claim: idempotency, result: interaction });
          return replay ? (replay.replayed as Interaction) : interaction;
        } catch (error) {
          if (!(error instanceof ConcurrentUpdateError) || attempt >= MAX_ATTEMPTS) throw error;
          await retry.pause(attempt);
        }
      }
    },

    /** One Query per page; only an empty page costs a second read, to tell "none yet" from 404. */
    async timeline(customerId: string, query: TimelineQuery) {
      const page = await customers.timeline(customerId, query);
      if (page.items.length === 0 && !(await customers.get(customerId))) throw new CustomerNotFoundError(customerId);
      return page;
    },
  };
}

function failure(index: number, error: unknown): BatchItemResult {
  if (!(error instanceof DomainError)) throw error;
  return { index, status: 'error', error };
}

export type InteractionUseCases = ReturnType<typeof interactionUseCases>;
