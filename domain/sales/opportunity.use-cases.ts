import { ConcurrentUpdateError, StaleVersionError } from '../shared/errors.ts';
import type { Actor, Clock, CommandContext, IdGenerator } from '../shared/ports.ts';
import { createOpportunity, OpportunityNotFoundError, patchOpportunity, UnknownOpportunityAccountError } from './opportunity.ts';
import type { OpportunityQuery, OpportunityRepository } from './opportunity.ports.ts';
import type { Opportunity, OpportunityInput, OpportunityPatch } from './opportunity.schema.ts';

export interface OpportunityDeps {
  readonly opportunities: OpportunityRepository;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

export function opportunityUseCases({ opportunities, clock, ids }: OpportunityDeps) {
  async function load(id: string): Promise<Opportunity> {
    const found = await opportunities.get(id);
    if (!found) throw new OpportunityNotFoundError(id);
    return found;
  }

  return {
    /** flow: one transaction: the account exists (checked in it, so a concurrent delete cannot slip between), the opportunity, its events, the idempotency record. */
    async create(input: OpportunityInput, actor: Actor, context: CommandContext): Promise<Opportunity> {
      const { opportunity, events } = createOpportunity(input, { id: ids.next(), ownerId: actor.id, now: clock.now() });
      const result = await opportunities.create(opportunity, events, context);
      if ('saved' in result) return result.saved;
      if (result.refused === 'unknown-account') throw new UnknownOpportunityAccountError(input.accountId);
      throw new ConcurrentUpdateError();
    },

    get: load,

    list: (query: OpportunityQuery) => opportunities.list(query),

    /** flow: 1. read, If-Match 2. the stage rules (opportunity.ts) 3. one conditional transaction with the events. */
    async patch(id: string, patch: OpportunityPatch, ifMatch: number | undefined, context: CommandContext): Promise<Opportunity> {
      const current = await load(id);
      if (ifMatch !== undefined && ifMatch !== current.version) throw new StaleVersionError(ifMatch, current.version);
      const { opportunity, events } = patchOpportunity(current, patch, clock.now());
      const result = await opportunities.update(current, opportunity, events, context);
      if ('saved' in result) return result.saved;
      throw ifMatch !== undefined ? new StaleVersionError(ifMatch) : new ConcurrentUpdateError();
    },
  };
}

export type OpportunityUseCases = ReturnType<typeof opportunityUseCases>;
