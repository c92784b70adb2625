import { ConcurrentUpdateError, StaleVersionError } from '../shared/errors.ts';
import type { Actor, Clock, CommandContext, IdGenerator } from '../shared/ports.ts';
import { createOpportunity, OpportunityNotFoundError, patchOpportunity, UnknownOpportunityAccountError } from './opportunity.ts';
import type { OpportunityQuery, OpportunityRepository } from './opportunity.ports.ts';
import type { Opportunity, OpportunityInput, OpportunityPatch } from './opportunity.schema.ts';
import { type SalesViewer, STAFF_VIEWER, visibleOr } from './partner-scope.ts';
import { listingPartner, NotAPartnerError, refuseStaffOnlyFields } from './partner.ts';

export interface OpportunityDeps {
  readonly opportunities: OpportunityRepository;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

export function opportunityUseCases({ opportunities, clock, ids }: OpportunityDeps) {
  /** The opportunity if `viewer` may see it; a partner's view of another's is the same 404 as a missing id. */
  async function load(id: string, viewer: SalesViewer = STAFF_VIEWER): Promise<Opportunity> {
    return visibleOr(viewer, await opportunities.get(id), () => new OpportunityNotFoundError(id));
  }

  return {
    /** flow: one transaction: the account exists (checked in it, so a concurrent delete cannot slip between), the opportunity, its events, the idempotency record. */
    async create(input: OpportunityInput, actor: Actor, context: CommandContext): Promise<Opportunity> {
      const { opportunity, events } = createOpportunity(input, { id: ids.next(), ownerId: actor.id, now: clock.now() });
      const result = await opportunities.create(opportunity, events, context);
      if ('saved' in result) return result.saved;
      if (result.refused === 'unknown-account') throw new UnknownOpportunityAccountError(input.accountId);
      if (result.refused === 'not-a-partner') throw new NotAPartnerError(opportunity.partnerAccountId ?? '');
      throw new ConcurrentUpdateError();
    },

    get: load,

    /** A partner user's listing is always its own partner partition (another account's is 403). */
    list: (query: OpportunityQuery, viewer: SalesViewer = STAFF_VIEWER) => {
      const partner = listingPartner(viewer, query.partner);
      return opportunities.list({ ...query, ...(partner ? { partner } : {}) });
    },

    /**
     * flow: 1. read (a partner's view of another's is 404), If-Match; a partner never names the
     * owner or the assignment (403) 2. the stage rules (opportunity.ts) 3. one conditional
     * transaction with the events (a new assignment checks the partner account in it).
     */
    async patch(id: string, patch: OpportunityPatch, ifMatch: number | undefined, context: CommandContext, viewer: SalesViewer = STAFF_VIEWER): Promise<Opportunity> {
      const current = await load(id, viewer);
      refuseStaffOnlyFields(viewer, patch);
      if (ifMatch !== undefined && ifMatch !== current.version) throw new StaleVersionError(ifMatch, current.version);
      const { opportunity, events } = patchOpportunity(current, patch, clock.now());
      const result = await opportunities.update(current, opportunity, events, context);
      if ('saved' in result) return result.saved;
      if (result.refused === 'not-a-partner') throw new NotAPartnerError(opportunity.partnerAccountId ?? '');
      throw ifMatch !== undefined ? new StaleVersionError(ifMatch) : new ConcurrentUpdateError();
    },
  };
}

export type OpportunityUseCases = ReturnType<typeof opportunityUseCases>;
