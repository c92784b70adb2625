import type { CommandContext } from '#domain/shared/ports.ts';
import type { CommitOutcome } from './product.ports.ts';
import type { Opportunity } from './opportunity.schema.ts';

/** Contacts of an account that a won opportunity's purchase is recorded on (the first ones by customer id). */
export const MAX_WON_CONTACTS = 1000;

export type WonOutcome = { readonly outcome: 'no-opportunity' | 'not-won' | 'no-products' | 'no-contacts' } | { readonly outcome: 'recorded'; readonly contacts: Record<string, number> };

/**
 * The won-opportunities consumer: a won opportunity's products count as a purchase by each contact
 * of its account, once per (contact, opportunity) (the products part's source key), so a retried
 * event records nothing twice. A contact erased meanwhile is skipped (`customer-gone`).
 */
export function wonOpportunityConsumer(deps: {
  opportunities: { get(id: string): Promise<Opportunity | undefined> };
  contacts: { contactIds(accountId: string, max: number): Promise<string[]> };
  products: { recordPurchase(customerId: string, skus: readonly string[], source: { kind: 'opportunity'; opportunityId: string }, context: CommandContext): Promise<Exclude<CommitOutcome, 'owned-changed'>> };
}) {
  return {
    async opportunityWon(event: { opportunityId: string }, context: CommandContext): Promise<WonOutcome> {
      const opportunity = await deps.opportunities.get(event.opportunityId);
      if (!opportunity) return { outcome: 'no-opportunity' };
      if (opportunity.stage !== 'won') return { outcome: 'not-won' };
      const skus = [...new Set(opportunity.products.map((p) => p.sku))];
      if (skus.length === 0) return { outcome: 'no-products' };
      const customerIds = (await deps.contacts.contactIds(opportunity.accountId, MAX_WON_CONTACTS)).slice(0, MAX_WON_CONTACTS);
      if (customerIds.length === 0) return { outcome: 'no-contacts' };
      const contacts: Record<string, number> = {};
      for (const customerId of customerIds) {
        const outcome = await deps.products.recordPurchase(customerId, skus, { kind: 'opportunity', opportunityId: opportunity.id }, context);
        contacts[outcome] = (contacts[outcome] ?? 0) + 1;
      }
      return { outcome: 'recorded', contacts };
    },
  };
}

export type WonOpportunityConsumer = ReturnType<typeof wonOpportunityConsumer>;
