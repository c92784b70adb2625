import { describe, expect, it } from 'vitest';
import { createOpportunity, OpportunityClosedError, patchOpportunity } from '../../domain/sales/opportunity.ts';
import type { Opportunity } from '../../domain/sales/opportunity.schema.ts';
import { ValidationError } from '../../domain/shared/errors.ts';
import type { DomainEvent } from '../../events/define-event.ts';

// The stage rules of the default pipeline: defaults, history, events, final stages, lostReason.

const NOW = new Date('2026-12-01T10:00:00.000Z');
const LATER = new Date('2026-12-02T10:00:00.000Z');
const input = { accountId: 'acc-1', name: 'Deal', amount: 1000, currency: 'EUR', closeDate: '2027-01-31' };
const fresh = (over: Partial<typeof input & { stage: 'proposal' }> = {}) => createOpportunity({ ...input, ...over }, { id: 'opp-1', ownerId: 'me', now: NOW });
const types = (events: DomainEvent[]) => events.map((e) => e.definition.detailType);

describe('createOpportunity', () => {
  it('starts in prospecting at its default probability, owned by the caller, with one history entry and a stage event', () => {
    const { opportunity, events } = fresh();
    expect(opportunity).toMatchObject({ stage: 'prospecting', probability: 10, ownerId: 'me', products: [], lostReason: null, version: 1, stageHistory: [{ stage: 'prospecting', at: NOW.toISOString() }] });
    expect(types(events)).toEqual(['OpportunityStageChanged']);
  });

  it('takes a named open stage and its default probability', () => {
    expect(fresh({ stage: 'proposal' }).opportunity.probability).toBe(50);
  });
});

describe('patchOpportunity', () => {
  const open: Opportunity = fresh().opportunity;

  it('a stage change appends to the history, takes the default probability and commits OpportunityStageChanged', () => {
    const { opportunity, events } = patchOpportunity(open, { stage: 'negotiation' }, LATER);
    expect(opportunity.stageHistory.map((h) => h.stage)).toEqual(['prospecting', 'negotiation']);
    expect(opportunity).toMatchObject({ probability: 75, version: 2, updatedAt: LATER.toISOString() });
    expect(types(events)).toEqual(['OpportunityStageChanged']);
    expect(events[0]!.data).toEqual({ opportunityId: 'opp-1', accountId: 'acc-1', from: 'prospecting', to: 'negotiation' });
  });

  it('keeps a probability the patch names; no stage change, no history and no event', () => {
    const { opportunity, events } = patchOpportunity(open, { probability: 33, amount: 5 }, LATER);
    expect(opportunity).toMatchObject({ probability: 33, amount: 5, stage: 'prospecting' });
    expect(opportunity.stageHistory).toHaveLength(1);
    expect(events).toEqual([]);
  });

  it('won commits OpportunityWon too and is final', () => {
    const { opportunity, events } = patchOpportunity(open, { stage: 'won' }, LATER);
    expect(opportunity.probability).toBe(100);
    expect(types(events)).toEqual(['OpportunityStageChanged', 'OpportunityWon']);
    expect(() => patchOpportunity(opportunity, { name: 'again' }, LATER)).toThrow(OpportunityClosedError);
    expect(() => patchOpportunity(opportunity, { stage: 'proposal' }, LATER)).toThrow(OpportunityClosedError);
  });

  it('lost needs a lostReason (400 naming it), commits OpportunityLost and is final', () => {
    try {
      patchOpportunity(open, { stage: 'lost' }, LATER);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues).toEqual([{ path: 'lostReason', message: 'is required when the stage is lost' }]);
    }
    const { opportunity, events } = patchOpportunity(open, { stage: 'lost', lostReason: 'price' }, LATER);
    expect(opportunity).toMatchObject({ stage: 'lost', probability: 0, lostReason: 'price' });
    expect(types(events)).toEqual(['OpportunityStageChanged', 'OpportunityLost']);
    expect(() => patchOpportunity(opportunity, { lostReason: 'other' }, LATER)).toThrow(OpportunityClosedError);
  });

  it('refuses a lostReason on an opportunity that is not lost', () => {
    expect(() => patchOpportunity(open, { lostReason: 'price' }, LATER)).toThrow(ValidationError);
  });
});
