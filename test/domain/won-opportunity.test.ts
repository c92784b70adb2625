import { describe, expect, it, vi } from 'vitest';
import { createOpportunity, patchOpportunity } from '../../domain/sales/opportunity.ts';
import type { Opportunity } from '../../domain/sales/opportunity.schema.ts';
import { wonOpportunityConsumer } from '../../domain/sales/won-opportunity.use-cases.ts';

// The won-opportunities consumer: which purchases a won opportunity records, on whom, with which source.

const NOW = new Date('2026-12-01T10:00:00.000Z');
const CTX = { correlationId: 'corr-1' };
const open = (products: Opportunity['products']) =>
  createOpportunity({ accountId: 'acc-1', name: 'Deal', amount: 10, currency: 'EUR', closeDate: '2027-01-31', products }, { id: 'opp-1', ownerId: 'me', now: NOW }).opportunity;
const won = (products: Opportunity['products']) => patchOpportunity(open(products), { stage: 'won' }, NOW).opportunity;

function consumerOf(opportunity: Opportunity | undefined, contactIds: string[], outcome: 'recorded' | 'duplicate' | 'customer-gone' = 'recorded') {
  const recordPurchase = vi.fn(async () => outcome);
  const contacts = vi.fn(async () => contactIds);
  return { recordPurchase, contacts, consumer: wonOpportunityConsumer({ opportunities: { get: async () => opportunity }, contacts: { contactIds: contacts }, products: { recordPurchase } }) };
}

describe('wonOpportunityConsumer', () => {
  it("records the distinct skus on each contact of the account, sourced by the opportunity's id", async () => {
    const { consumer, recordPurchase, contacts } = consumerOf(won([{ sku: 'A', quantity: 1, unitPrice: 1 }, { sku: 'B', quantity: 2, unitPrice: 1 }, { sku: 'A', quantity: 1, unitPrice: 2 }]), ['c1', 'c2']);
    expect(await consumer.opportunityWon({ opportunityId: 'opp-1' }, CTX)).toEqual({ outcome: 'recorded', contacts: { recorded: 2 } });
    expect(contacts).toHaveBeenCalledWith('acc-1', 1000);
    expect(recordPurchase.mock.calls).toEqual([
      ['c1', ['A', 'B'], { kind: 'opportunity', opportunityId: 'opp-1' }, CTX],
      ['c2', ['A', 'B'], { kind: 'opportunity', opportunityId: 'opp-1' }, CTX],
    ]);
  });

  it('records nothing for an opportunity gone, not won, without products, or an account without contacts', async () => {
    const cases = [
      [consumerOf(undefined, ['c1']), 'no-opportunity'],
      [consumerOf(open([{ sku: 'A', quantity: 1, unitPrice: 1 }]), ['c1']), 'not-won'],
      [consumerOf(won([]), ['c1']), 'no-products'],
      [consumerOf(won([{ sku: 'A', quantity: 1, unitPrice: 1 }]), []), 'no-contacts'],
    ] as const;
    for (const [{ consumer, recordPurchase }, outcome] of cases) {
      expect(await consumer.opportunityWon({ opportunityId: 'opp-1' }, CTX)).toEqual({ outcome });
      expect(recordPurchase).not.toHaveBeenCalled();
    }
  });

  it('counts what each contact answered (a redelivered event is all duplicates)', async () => {
    const { consumer } = consumerOf(won([{ sku: 'A', quantity: 1, unitPrice: 1 }]), ['c1', 'c2', 'c3'], 'duplicate');
    expect(await consumer.opportunityWon({ opportunityId: 'opp-1' }, CTX)).toEqual({ outcome: 'recorded', contacts: { duplicate: 3 } });
  });
});
