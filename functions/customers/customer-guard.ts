import { ConcurrentUpdateError, CustomerBeingErasedError, CustomerErasedError, CustomerMergedError, CustomerNotFoundError, type DomainError } from '#domain/shared/errors.ts';
import { type Db, WRITABLE } from '../shared/db.ts';
import { batchGet } from '../shared/dynamo-batch.ts';
import type { TransactItem } from '../shared/outbox.ts';
import { customerKey, erasureKey } from './customer.keys.ts';

// The customers context's guard for every write that puts personal data into a customer's
// partitions (or, for cases, text about the customer): a ConditionCheck on the profile inside the
// write's own transaction. Erasure marks the profile (erasingSince) before it cleans anything, and
// its consumers clean only after the profile is gone, so a write either commits before the mark
// (and the cleanup removes it) or is refused; it never lands after the cleanup.

export { WRITABLE };
/** Exists and is not being erased; a merged-away profile still passes (its unmoved cases may take comments). */
export const NOT_ERASING = 'attribute_exists(pk) AND attribute_not_exists(erasingSince)';

export function customerCheck(db: Pick<Db, 'tableName'>, customerId: string, condition: string = WRITABLE): TransactItem {
  return { ConditionCheck: { TableName: db.tableName, Key: customerKey(customerId), ConditionExpression: condition } };
}

/** Why the check refused: the named domain error for the profile as it is now. */
export async function refusalFor(db: Pick<Db, 'client' | 'tableName'>, customerId: string): Promise<DomainError> {
  const items = await batchGet(db.client, db.tableName, [customerKey(customerId), erasureKey(customerId)]);
  const profile = items.find((i) => i.sk === 'PROFILE');
  if (profile?.erasingSince) return new CustomerBeingErasedError(customerId);
  if (profile?.mergedInto) return new CustomerMergedError(customerId, String(profile.mergedInto));
  if (profile) return new ConcurrentUpdateError();
  return items.some((i) => i.sk === 'ERASURE') ? new CustomerErasedError(customerId) : new CustomerNotFoundError(customerId);
}
