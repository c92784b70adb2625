import type { DomainEvent } from '#events/define-event.ts';
import type { CommandContext } from '../shared/ports.ts';
import type { Page, PageRequest } from './account.ports.ts';
import type { Activity } from './activity.schema.ts';

// What the activities use cases need from storage (functions/sales/activity.dynamodb-repository.ts).

export type ActivityListing = PageRequest & {
  ownerId?: string | undefined;
  open?: boolean | undefined;
  account?: string | undefined;
  opportunity?: string | undefined;
  customer?: string | undefined;
};

export type ActivitySaveResult = { saved: Activity; replayed: boolean } | { refused: 'version-moved' };

export interface ActivityRepository {
  get(id: string): Promise<Activity | undefined>;
  /**
   * Activities newest first: of one related account, opportunity or customer (at most one of them),
   * else an owner's or everybody's; `open` true: not completed, false: completed, absent: both.
   */
  list(query: ActivityListing): Promise<Page<Activity>>;
  /** The account of an opportunity, undefined when there is no such opportunity. */
  accountOfOpportunity(opportunityId: string): Promise<string | undefined>;
  /** The ids of the activities linked to a customer (its erasure). */
  linkedTo(customerId: string): Promise<string[]>;
  /**
   * `previous` absent: a creation (idempotent under context.idempotency); else conditional on its
   * version. With a customer, the customer's timeline entry is written in the same transaction
   * under the erasure guard; a refused customer throws the customers' named error.
   */
  save(next: Activity, previous: Activity | undefined, context: CommandContext): Promise<ActivitySaveResult>;
  /** One transaction: a once-marker for (activity, dueAt) and the events; false when the marker was there already. */
  markDue(activity: Activity, events: DomainEvent[], context: CommandContext): Promise<boolean>;
}
