import type { AnalyticsPurchase } from './analytics-purchase.ts';
import type { PurchaseFeedStore } from './purchase-feed.use-cases.ts';

// A won opportunity as analytics purchases (issue 13: "purchases are the purchase interactions ...
// and won opportunities where those exist"). An opportunity belongs to an account, the people are
// its contacts: each contact at the time the win is processed buys an even share of the amount,
// on the day the deal closed, under the purchase id `opportunity:<id>` (one per contact and
// opportunity, so a redelivered event records nothing twice).

/** What the rule reads of an opportunity (the sales context's opportunity has these fields). */
export interface WonOpportunity {
  readonly id: string;
  readonly accountId: string;
  readonly stage: string;
  readonly amount: number;
  readonly currency: string;
  /** YYYY-MM-DD: the day it closed (the win's day unless the user set another). */
  readonly closeDate: string;
  readonly stageHistory: readonly { readonly stage: string; readonly at: string }[];
}

/** Contacts that share a won opportunity (the first ones by customer id), as the sales context's won-opportunities consumer. */
export const MAX_WON_CONTACTS = 1000;

/** The purchase id of a won opportunity: never an interaction id (those are UUIDs), so the two sources never collide. */
export const opportunityPurchaseId = (opportunityId: string) => `opportunity:${opportunityId}`;

/**
 * The day of a won opportunity's purchase: its closeDate (a deal entered after the fact keeps the
 * day it really closed), but never after the day it was marked won: a closeDate in the future is
 * a forecast, not the day money changed hands.
 */
export function wonDayOf(opportunity: Pick<WonOpportunity, 'closeDate' | 'stageHistory'>): string {
  const won = opportunity.stageHistory.findLast((change) => change.stage === 'won');
  const wonDay = won ? new Date(won.at).toISOString().slice(0, 10) : opportunity.closeDate;
  return opportunity.closeDate < wonDay ? opportunity.closeDate : wonDay;
}

/**
 * `amount` split evenly over `n` shares in whole cents that add up to the amount exactly: each
 * share is the amount's cents divided by n, rounded down, and the cents left over go one each to
 * the first shares (so 100.00 over 3 is 33.34, 33.33, 33.33).
 */
export function splitEvenly(amount: number, n: number): number[] {
  const cents = Math.round(amount * 100);
  const base = Math.floor(cents / n);
  const left = cents - base * n;
  return Array.from({ length: n }, (_, i) => (base + (i < left ? 1 : 0)) / 100);
}

export type WonPurchaseOutcome =
  | { readonly outcome: 'no-opportunity' | 'not-won' | 'no-contacts' }
  | { readonly outcome: 'recorded'; readonly day: string; readonly contacts: Record<string, number> };

export interface WonPurchasesDeps {
  readonly opportunities: { get(id: string): Promise<WonOpportunity | undefined> };
  /** The account's contacts (customer ids), up to `max` (the sales context's account repository). */
  readonly contacts: { contactIds(accountId: string, max: number): Promise<string[]> };
  readonly purchases: PurchaseFeedStore;
  /** After a contact's share is recorded (or seen again): that customer's scores. */
  readonly afterPurchase?: (customerId: string) => Promise<unknown>;
}

export function wonOpportunityPurchases({ opportunities, contacts, purchases, afterPurchase }: WonPurchasesDeps) {
  return {
    /**
     * flow: 1. read the opportunity (won, its amount and currency) 2. its account's contacts now,
     * sorted by id so that a redelivery splits the same way 3. each contact's share recorded once
     * (erasure-guarded: a contact being erased or merged away gets none) 4. their scores refreshed.
     */
    async opportunityWon(event: { opportunityId: string }): Promise<WonPurchaseOutcome> {
      const opportunity = await opportunities.get(event.opportunityId);
      if (!opportunity) return { outcome: 'no-opportunity' };
      if (opportunity.stage !== 'won') return { outcome: 'not-won' };
      const customerIds = [...new Set(await contacts.contactIds(opportunity.accountId, MAX_WON_CONTACTS))].sort().slice(0, MAX_WON_CONTACTS);
      if (customerIds.length === 0) return { outcome: 'no-contacts' };
      const day = wonDayOf(opportunity);
      const shares = splitEvenly(opportunity.amount, customerIds.length);
      const outcomes: Record<string, number> = {};
      for (const [i, customerId] of customerIds.entries()) {
        const purchase: AnalyticsPurchase = { customerId, interactionId: opportunityPurchaseId(opportunity.id), day, amount: shares[i]!, currency: opportunity.currency };
        const outcome = await purchases.record(purchase);
        outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
        if (outcome !== 'customer-gone' && afterPurchase) await afterPurchase(customerId);
      }
      return { outcome: 'recorded', day, contacts: outcomes };
    },
  };
}

export type WonOpportunityPurchases = ReturnType<typeof wonOpportunityPurchases>;
