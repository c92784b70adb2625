import { CustomerMergedError, CustomerNotFoundError, NoProfileError } from '../shared/errors.ts';
import type { CommandContext } from '../shared/ports.ts';
import type { TimelineQuery } from './customer.repository.ts';
import type { Customer } from './customer.schema.ts';
import type { CustomerUseCases } from './customer.use-cases.ts';
import type { InteractionUseCases } from './interaction.use-cases.ts';
import type { MePatch } from './me.schema.ts';

export interface MeDeps {
  readonly customers: CustomerUseCases;
  readonly interactions: InteractionUseCases;
}

/**
 * Self-service (/me): the staff use cases, bound to the one customer a token names. A profile that
 * is gone or merged away is a NoProfileError on every call, so the person gets one clear answer
 * and a merged-away token never reaches the profile it was merged into (a mistaken merge would
 * otherwise show one person another's data until the token is reissued).
 */
export function meUseCases({ customers, interactions }: MeDeps) {
  async function own(customerId: string): Promise<Customer> {
    const customer = await customers.get(customerId).catch(asNoProfile);
    if (customer.mergedInto) throw new NoProfileError('merged');
    return customer;
  }

  return {
    get: own,

    /** The customers use case's patch (events, If-Match, erasure guard), limited to MePatch's fields by its type. */
    async patch(customerId: string, patch: MePatch, ifMatch: number | undefined, context: CommandContext): Promise<Customer> {
      await own(customerId);
      // A merge or erasure between the read above and the write lands here.
      return customers.patch(customerId, patch, ifMatch, context).catch(asNoProfile);
    },

    async timeline(customerId: string, query: TimelineQuery) {
      await own(customerId);
      return interactions.timeline(customerId, query).catch(asNoProfile);
    },

    async exportData(customerId: string) {
      await own(customerId);
      return customers.exportData(customerId).catch(asNoProfile);
    },
  };
}

function asNoProfile(error: unknown): never {
  if (error instanceof CustomerNotFoundError) throw new NoProfileError('missing');
  if (error instanceof CustomerMergedError) throw new NoProfileError('merged');
  throw error;
}

export type MeUseCases = ReturnType<typeof meUseCases>;
