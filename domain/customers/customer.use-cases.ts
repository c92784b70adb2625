import { CustomerIdentityLinked } from '#events/customer-identity-linked.event.ts';
import {
  ConcurrentUpdateError,
  ConflictError,
  CustomerMergedError,
  CustomerNotFoundError,
  StaleVersionError,
  UnprocessableError,
  ValidationError,
} from '../shared/errors.ts';
import type { Clock, CommandContext, IdGenerator } from '../shared/ports.ts';
import { createCustomer, eraseCustomer, mergeCustomers, patchCustomer } from './customer.ts';
import type { CreateOutcome, CustomerQuery, CustomerRepository, Page } from './customer.repository.ts';
import type { CreateCustomerInput, Customer, CustomerPatch } from './customer.schema.ts';
import type { IdentityInput } from './identity.ts';

export interface CustomerDeps {
  readonly customers: CustomerRepository;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

/**
 * Optimistic-concurrency retries for writes that came without If-Match. Each round of racing
 * writers lets at least one through, so this bounds the concurrency we absorb, not the luck.
 */
export const MAX_ATTEMPTS = 25;

export function customerUseCases({ customers, clock, ids }: CustomerDeps) {
  async function load(id: string): Promise<Customer> {
    const customer = await customers.get(id);
    if (!customer) throw new CustomerNotFoundError(id);
    return customer;
  }

  /** For writes: a merged customer refuses them, pointing at where they belong. */
  async function loadWritable(id: string): Promise<Customer> {
    const customer = await load(id);
    if (customer.mergedInto) throw new CustomerMergedError(id, customer.mergedInto);
    return customer;
  }

  return {
    async create(input: CreateCustomerInput, context: CommandContext): Promise<CreateOutcome> {
      const { customer, events } = createCustomer(input, ids.next(), clock.now());
      return customers.create(customer, events, context);
    },

    get: load,

    async list(query: CustomerQuery & { email?: string; identity?: IdentityInput }): Promise<Page<Customer>> {
      const exact = query.identity ?? (query.email !== undefined ? { type: 'email' as const, value: query.email } : undefined);
      if (exact) {
        const found = await customers.findByIdentity(exact.type, exact.value);
        return { items: found ? [found] : [], nextCursor: null };
      }
      return customers.list(query);
    },

    /**
     * flow: 1. read 2. check If-Match 3. apply the merge patch 4. conditional write; without
     * If-Match a lost race is retried from 1, so concurrent writers never lose an update.
     */
    async patch(id: string, patch: CustomerPatch, ifMatch: number | undefined, context: CommandContext) {
      for (let attempt = 1; ; attempt++) {
        const current = await loadWritable(id);
        if (ifMatch !== undefined && ifMatch !== current.version) throw new StaleVersionError(ifMatch, current.version);
        const result = patchCustomer(current, patch, clock.now());
        if (result.events.length === 0) return current;
        try {
          await customers.update(current, result.customer, result.events, context);
          return result.customer;
        } catch (error) {
          retryOrThrow(error, ifMatch, attempt);
        }
      }
    },

    /** GDPR erasure: the person's data is gone everywhere; anonymous aggregates may stay. */
    async erase(id: string, ifMatch: number | undefined, context: CommandContext): Promise<void> {
      for (let attempt = 1; ; attempt++) {
        const current = await load(id);
        if (ifMatch !== undefined && ifMatch !== current.version) throw new StaleVersionError(ifMatch, current.version);
        try {
          await customers.erase(current, (mergedFrom, caseIds) => eraseCustomer(current, mergedFrom, caseIds), context);
          return;
        } catch (error) {
          retryOrThrow(error, ifMatch, attempt);
        }
      }
    },

    async exportData(id: string) {
      const customer = await load(id);
      const { identities, interactions, accounts, ownedProducts, leads } = await customers.exportData(id);
      return {
        exportedAt: clock.now().toISOString(),
        customer,
        identities,
        accounts,
        ownedProducts,
        leads,
        interactions: interactions.filter((i) => i.kind === 'interaction'),
        cases: interactions.filter((i) => i.kind === 'case' || i.kind === 'case_comment'),
        consents: interactions.filter((i) => i.kind === 'consent'),
        emails: interactions.filter((i) => i.kind === 'email'),
      };
    },

    identities: async (id: string) => {
      await load(id);
      return customers.identitiesOf(id);
    },

    /** flow: 1. claim the identity 2. an anonymous id brings its recorded interactions along. */
    async linkIdentity(id: string, input: IdentityInput, context: CommandContext) {
      const customer = await loadWritable(id);
      const events = [CustomerIdentityLinked.of({ customerId: id, identityType: input.type })];
      const result = await customers.linkIdentity(customer, input, events, context);
      if (input.type === 'anonymousId') await customers.adoptAnonymous(input.value, id);
      return result;
    },

    /**
     * flow: 1. one transaction writes the merged target, the source's tombstone (from here on the
     * source refuses writes) and the target's MERGED_FROM record of it 2. identities move 3.
     * timeline entries move. A retry after any step finishes the rest; a target being erased
     * refuses steps 2-3, and its erasure reaches what stayed with the source.
     */
    async merge(targetId: string, sourceId: string, context: CommandContext): Promise<Customer> {
      if (targetId === sourceId) throw new ValidationError('A customer cannot be merged into itself.', [{ path: 'sourceId', message: 'must differ from the target id' }]);
      for (let attempt = 1; ; attempt++) {
        const target = await loadWritable(targetId);
        const source = await customers.get(sourceId);
        if (!source) throw new UnprocessableError(`No customer with id ${sourceId} to merge.`);
        if (source.mergedInto === targetId) {
          await customers.moveIdentities(sourceId, targetId);
          await customers.moveTimeline(sourceId, targetId);
          return target;
        }
        if (source.mergedInto) throw new ConflictError(`Customer ${sourceId} was already merged into ${source.mergedInto}.`);
        const merged = mergeCustomers(target, source, clock.now());
        try {
          await customers.completeMerge({ target, source }, { target: merged.target, source: merged.source }, merged.events, context);
        } catch (error) {
          if (!(error instanceof ConcurrentUpdateError) || attempt >= MAX_ATTEMPTS) throw error;
          continue;
        }
        await customers.moveIdentities(sourceId, targetId);
        await customers.moveTimeline(sourceId, targetId);
        return merged.target;
      }
    },
  };
}

/** A lost race is retried, unless the caller pinned a version: then it is simply stale. */
function retryOrThrow(error: unknown, ifMatch: number | undefined, attempt: number): void {
  if (!(error instanceof ConcurrentUpdateError)) throw error;
  if (ifMatch !== undefined) throw new StaleVersionError(ifMatch);
  if (attempt >= MAX_ATTEMPTS) throw error;
}

export type CustomerUseCases = ReturnType<typeof customerUseCases>;
