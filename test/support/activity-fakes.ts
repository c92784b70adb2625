import type { ActivityRepository } from '../../domain/sales/activity.ports.ts';
import type { Activity } from '../../domain/sales/activity.schema.ts';
import type { RelatedNames } from '../../domain/sales/activity-reminder.ts';

// In-memory stand-ins for the activities part's storage and the reminder mail's name lookup.

export interface FakeActivityRepository extends ActivityRepository {
  readonly items: Map<string, Activity>;
  /** Opportunity id -> its account id (accountOfOpportunity). */
  readonly opportunities: Map<string, string>;
  /** `<id>@<dueAt>` of every ActivityDue recorded. */
  readonly markers: Set<string>;
  readonly dueEvents: unknown[];
}

export function fakeActivityRepository(): FakeActivityRepository {
  const items = new Map<string, Activity>();
  const repo: FakeActivityRepository = {
    items,
    opportunities: new Map(),
    markers: new Set(),
    dueEvents: [],
    async get(id) {
      return items.get(id);
    },
    async list({ account, opportunity, customer }) {
      const all = [...items.values()].filter((a) => (account === undefined || a.accountId === account) && (opportunity === undefined || a.opportunityId === opportunity) && (customer === undefined || a.customerId === customer));
      return { items: all.reverse(), nextCursor: null };
    },
    async accountOfOpportunity(id) {
      return repo.opportunities.get(id);
    },
    async linkedTo(customerId) {
      return [...items.values()].filter((a) => a.customerId === customerId).map((a) => a.id);
    },
    async markDue(activity, events) {
      const key = `${activity.id}@${activity.dueAt}`;
      if (repo.markers.has(key)) return false;
      repo.markers.add(key);
      repo.dueEvents.push(...events);
      return true;
    },
    async save(next, previous) {
      if (previous && items.get(next.id)?.version !== previous.version) return { refused: 'version-moved' as const };
      items.set(next.id, next);
      return { saved: next, replayed: false };
    },
  };
  return repo;
}

/** Names as the stores would give them; a customer not listed reads as `customer <id>` (erased or unknown). */
export function fakeRelatedNames(names: { customers?: Record<string, string>; accounts?: Record<string, string>; opportunities?: Record<string, string> } = {}): RelatedNames {
  return {
    customer: async (id) => names.customers?.[id] ?? `customer ${id}`,
    account: async (id) => names.accounts?.[id],
    opportunity: async (id) => names.opportunities?.[id],
  };
}
