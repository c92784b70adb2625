import type { DomainEvent } from '#events/define-event.ts';
import { OpportunityLost } from '#events/opportunity-lost.event.ts';
import { OpportunityStageChanged } from '#events/opportunity-stage-changed.event.ts';
import { OpportunityWon } from '#events/opportunity-won.event.ts';
import { ConflictError, NotFoundError, UnprocessableError, ValidationError } from '../shared/errors.ts';
import type { Opportunity, OpportunityInput, OpportunityPatch, Stage } from './opportunity.schema.ts';
import { DEFAULT_PIPELINE, isFinal, type PipelineStages, probabilityOf, UnknownStageError } from './pipeline-stages.ts';

// Opportunities' rules (pure): creation, the stage moves of the configured pipeline, JSON merge patch.

export { isFinal };

export class OpportunityNotFoundError extends NotFoundError {
  constructor(id: string) {
    super(`No opportunity with id ${id}.`);
  }
}

/** A won or lost opportunity is final: nothing of it changes any more. */
export class OpportunityClosedError extends ConflictError {
  override readonly code = 'status-move';
  constructor(stage: Stage) {
    super(`The opportunity is ${stage}; a won or lost opportunity is final.`);
  }
}

export class UnknownOpportunityAccountError extends UnprocessableError {
  override readonly code = 'unknown-account';
  constructor(id: string) {
    super(`No account with id ${id} (accountId).`);
  }
}

export interface OpportunityChange {
  readonly opportunity: Opportunity;
  readonly events: DomainEvent[];
}

function stageEvents(o: Pick<Opportunity, 'id' | 'accountId'>, from: Stage | null, to: Stage): DomainEvent[] {
  const ids = { opportunityId: o.id, accountId: o.accountId };
  return [
    OpportunityStageChanged.of({ ...ids, from, to }),
    ...(to === 'won' ? [OpportunityWon.of(ids)] : []),
    ...(to === 'lost' ? [OpportunityLost.of(ids)] : []),
  ];
}

/**
 * A new opportunity in an open stage of the pipeline (its first one unless named; won or lost is
 * 400, a stage the pipeline does not have 422 unknown-stage); its history starts with that stage.
 */
export function createOpportunity(
  input: OpportunityInput,
  { id, ownerId, now, pipeline = DEFAULT_PIPELINE }: { id: string; ownerId: string; now: Date; pipeline?: Pick<PipelineStages, 'stages'> },
): OpportunityChange {
  const at = now.toISOString();
  const stage = input.stage ?? pipeline.stages[0]!.id;
  if (isFinal(stage)) throw new ValidationError('A new opportunity starts in an open stage.', [{ path: 'stage', message: 'must be an open stage (not won or lost)' }]);
  const probability = probabilityOf(pipeline, stage);
  if (probability === undefined) throw new UnknownStageError(stage);
  const opportunity: Opportunity = {
    id,
    accountId: input.accountId,
    name: input.name,
    amount: input.amount,
    currency: input.currency,
    stage,
    probability: input.probability ?? probability,
    closeDate: input.closeDate,
    ownerId: input.ownerId ?? ownerId,
    partnerAccountId: input.partnerAccountId ?? null,
    products: input.products ?? [],
    stageHistory: [{ stage, at }],
    lostReason: null,
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
  return { opportunity, events: stageEvents(opportunity, null, stage) };
}

/**
 * RFC 7396 on an opportunity. A won or lost one is final (409 status-move). A stage change (to a
 * stage of the pipeline, 422 unknown-stage otherwise) appends to the history, takes the stage's
 * default probability unless the patch names one, and commits OpportunityStageChanged (and
 * OpportunityWon / OpportunityLost). Moving to won or lost without a closeDate closes it today (as
 * HubSpot does: the deal's month is the month it closed). Moving to lost needs a lostReason; a
 * lostReason on anything but a lost opportunity is refused (it would describe nothing).
 */
export function patchOpportunity(current: Opportunity, patch: OpportunityPatch, now: Date, pipeline: Pick<PipelineStages, 'stages'> = DEFAULT_PIPELINE): OpportunityChange {
  if (isFinal(current.stage)) throw new OpportunityClosedError(current.stage);
  const next: Opportunity = { ...current };
  if (patch.name !== undefined) next.name = patch.name;
  if (patch.amount !== undefined) next.amount = patch.amount;
  if (patch.currency !== undefined) next.currency = patch.currency;
  if (patch.closeDate !== undefined) next.closeDate = patch.closeDate;
  if (patch.ownerId !== undefined) next.ownerId = patch.ownerId;
  if (patch.partnerAccountId !== undefined) next.partnerAccountId = patch.partnerAccountId;
  if (patch.products !== undefined) next.products = patch.products ?? [];
  if (patch.lostReason !== undefined) next.lostReason = patch.lostReason;
  const moved = patch.stage !== undefined && patch.stage !== current.stage;
  const stageProbability = moved ? probabilityOf(pipeline, patch.stage!) : undefined;
  if (moved && stageProbability === undefined) throw new UnknownStageError(patch.stage!);
  if (moved) next.stage = patch.stage!;
  if (patch.probability !== undefined) next.probability = patch.probability;
  else if (moved) next.probability = stageProbability!;
  if (moved && isFinal(next.stage) && patch.closeDate === undefined) next.closeDate = now.toISOString().slice(0, 10);
  if (next.stage === 'lost' && !next.lostReason) throw new ValidationError('Moving an opportunity to lost needs a lostReason.', [{ path: 'lostReason', message: 'is required when the stage is lost' }]);
  if (next.stage !== 'lost' && next.lostReason) throw new ValidationError('Only a lost opportunity has a lostReason.', [{ path: 'lostReason', message: 'is allowed only when the stage is lost' }]);
  const at = now.toISOString();
  if (moved) next.stageHistory = [...current.stageHistory, { stage: next.stage, at }];
  return { opportunity: { ...next, updatedAt: at, version: current.version + 1 }, events: moved ? stageEvents(next, current.stage, next.stage) : [] };
}
