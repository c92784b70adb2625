import { ConcurrentUpdateError, StaleVersionError, ValidationError } from '../shared/errors.ts';
import type { Actor, Clock, CommandContext, IdGenerator } from '../shared/ports.ts';
import { createOpportunity, OpportunityNotFoundError, patchOpportunity, UnknownOpportunityAccountError } from './opportunity.ts';
import type { OpportunityQuery, OpportunityRepository } from './opportunity.ports.ts';
import type { Opportunity, OpportunityInput, OpportunityPatch } from './opportunity.schema.ts';
import { type SalesViewer, STAFF_VIEWER, visibleOr } from './partner-scope.ts';
import { listingPartner, NotAPartnerError, refuseStaffOnlyFields } from './partner.ts';
import { type PipelineStages, probabilityOf, UnknownStageError } from './pipeline-stages.ts';

export interface OpportunityDeps {
  readonly opportunities: OpportunityRepository;
  /** The configured stages (pipeline.ports.ts). */
  readonly pipeline: { stages(): Promise<PipelineStages> };
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

export function opportunityUseCases({ opportunities, pipeline, clock, ids }: OpportunityDeps) {
  /** The opportunity if `viewer` may see it; a partner's view of another's is the same 404 as a missing id. */
  async function load(id: string, viewer: SalesViewer = STAFF_VIEWER): Promise<Opportunity> {
    return visibleOr(viewer, await opportunities.get(id), () => new OpportunityNotFoundError(id));
  }

  return {
    /**
     * flow: 1. the pipeline (the stage and its probability) 2. one transaction: the account exists (checked in it, so a
     * concurrent delete cannot slip between), the stage is still configured, the opportunity, its events, the counters, the idempotency record.
     */
    async create(input: OpportunityInput, actor: Actor, context: CommandContext): Promise<Opportunity> {
      const { opportunity, events } = createOpportunity(input, { id: ids.next(), ownerId: actor.id, now: clock.now(), pipeline: await pipeline.stages() });
      const result = await opportunities.create(opportunity, events, context);
      if ('saved' in result) return result.saved;
      if (result.refused === 'unknown-account') throw new UnknownOpportunityAccountError(input.accountId);
      if (result.refused === 'unknown-stage') throw new UnknownStageError(opportunity.stage);
      if (result.refused === 'not-a-partner') throw new NotAPartnerError(opportunity.partnerAccountId ?? '');
      throw new ConcurrentUpdateError();
    },

    get: load,

    /**
     * A partner user's listing is always its own partner partition (another account's is 403); a
     * stage filter names a stage of the pipeline (400 otherwise: it could match nothing).
     */
    async list(query: OpportunityQuery, viewer: SalesViewer = STAFF_VIEWER) {
      const partner = listingPartner(viewer, query.partner);
      if (query.stage !== undefined && probabilityOf(await pipeline.stages(), query.stage) === undefined) {
        throw new ValidationError(`No stage ${query.stage} in the pipeline.`, [{ path: 'stage', message: 'is not a stage of the pipeline' }]);
      }
      return opportunities.list({ ...query, ...(partner ? { partner } : {}) });
    },

    /**
     * flow: 1. read (a partner's view of another's is 404), If-Match; a partner never names the
     * owner or the assignment (403) 2. the stage rules (opportunity.ts) against the pipeline 3. one
     * conditional transaction with the events, the counters' moves (and a new assignment's check of
     * the partner account).
     */
    async patch(id: string, patch: OpportunityPatch, ifMatch: number | undefined, context: CommandContext, viewer: SalesViewer = STAFF_VIEWER): Promise<Opportunity> {
      const current = await load(id, viewer);
      refuseStaffOnlyFields(viewer, patch);
      if (ifMatch !== undefined && ifMatch !== current.version) throw new StaleVersionError(ifMatch, current.version);
      // The pipeline only matters to a stage move (an opportunity's own stage cannot leave the pipeline: it holds it).
      const { opportunity, events } = patchOpportunity(current, patch, clock.now(), patch.stage !== undefined ? await pipeline.stages() : undefined);
      const result = await opportunities.update(current, opportunity, events, context);
      if ('saved' in result) return result.saved;
      if (result.refused === 'unknown-stage') throw new UnknownStageError(opportunity.stage);
      if (result.refused === 'not-a-partner') throw new NotAPartnerError(opportunity.partnerAccountId ?? '');
      throw ifMatch !== undefined ? new StaleVersionError(ifMatch) : new ConcurrentUpdateError();
    },
  };
}

export type OpportunityUseCases = ReturnType<typeof opportunityUseCases>;
