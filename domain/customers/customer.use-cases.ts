import { ConcurrentUpdateError, CustomerNotFoundError, StaleVersionError } from '../shared/errors.ts';
import type { Clock, CommandContext, IdGenerator } from '../shared/ports.ts';
import { createCustomer, deleteCustomer, patchCustomer } from './customer.ts';
import type { CustomerQuery, CustomerRepository, CreateOutcome, Page } from './customer.repository.ts';
import type { CreateCustomerInput, Customer, CustomerPatch } from './customer.schema.ts';

export interface CustomerDeps {
  readonly customers: CustomerRepository;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

/**
 * Optimistic-concurrency retries for writes that came without If-Match. Each round of racing
 * writers lets at least one through, so this bounds the concurrency we absorb, not the luck.
 */
const MAX_ATTEMPTS = 25;

export function customerUseCases({ customers, clock, ids }: CustomerDeps) {
  async function load(id: string): Promise<Customer> {
    const customer = await customers.get(id);
    if (!customer) throw new CustomerNotFoundError(id);
    return customer;
  }

  return {
    async create(input: CreateCustomerInput, context: CommandContext): Promise<CreateOutcome> {
      const { customer, events } = createCustomer(input, ids.next(), clock.now());
      return customers.create(customer, events, context);
    },

    get: load,

    async list(query: CustomerQuery & { email?: string }): Promise<Page<Customer>> {
      if (query.email !== undefined) {
        const found = await customers.findByEmail(query.email);
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
        const current = await load(id);
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

    async remove(id: string, ifMatch: number | undefined, context: CommandContext): Promise<void> {
      for (let attempt = 1; ; attempt++) {
        const current = await load(id);
        if (ifMatch !== undefined && ifMatch !== current.version) throw new StaleVersionError(ifMatch, current.version);
        try {
          await customers.delete(current, deleteCustomer(current), context);
          return;
        } catch (error) {
          retryOrThrow(error, ifMatch, attempt);
        }
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
