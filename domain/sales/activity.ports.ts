import type { DomainEvent } from '#events/define-event.ts';
import type { CommandContext } from '../shared/ports.ts';
import type { Page, PageRequest } from './account.ports.ts';
import type { Activity } from './activity.schema.ts';

// What the activities use cases need from storage (functions/sales/activity.dynamodb-repository.ts).

export type ActivitySaveResult = { saved: Activity; replayed: boolean } | { refused: 'version-moved' };

export interface ActivityRepository {
  get(id: string): Promise<Activity | undefined>;
  /** Activities (an owner's, or everybody's), newest first; `open` true: not completed, false: completed, absent: both. */
  list(query: PageRequest & { ownerId?: string | undefined; open?: boolean | undefined }): Promise<Page<Activity>>;
  /** `previous` absent: a creation (idempotent under context.idempotency); else conditional on its version. */
  save(next: Activity, previous: Activity | undefined, context: CommandContext): Promise<ActivitySaveResult>;
  /** One transaction: a once-marker for (activity, dueAt) and the events; false when the marker was there already. */
  markDue(activity: Activity, events: DomainEvent[], context: CommandContext): Promise<boolean>;
}
