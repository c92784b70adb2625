import { randomUUID } from 'node:crypto';
import type { PseudonymStore } from '#domain/analytics/warehouse.ports.ts';
import { NOT_ERASING, customerCheck } from '../customers/customer-guard.ts';
import { customerPartition } from '../customers/customer.keys.ts';
import { type Db, NOT_EXISTS, put } from '../shared/db.ts';
import { batchGet } from '../shared/dynamo-batch.ts';
import { commit } from '../shared/transaction.ts';

// The pseudonym of a customer in the warehouse:
//   pseudonym   pk CUSTOMER#<id>   sk PSEUDONYM   pseudonym (a random UUID), createdAt
// In the customer's own partition, so erasure deletes it with everything else of the person, and
// nothing outside the CRM can map a pseudonym back. A random UUID (not a time-ordered id) tells
// nothing about when the person first appeared.

export const pseudonymKey = (customerId: string) => ({ pk: customerPartition(customerId), sk: 'PSEUDONYM' });

export function dynamoPseudonyms(db: Db): PseudonymStore {
  /** Creates the mapping with the erasure guard in one transaction: never for a profile being erased or gone. */
  async function create(customerId: string): Promise<string | null> {
    const pseudonym = randomUUID();
    const item = { ...pseudonymKey(customerId), type: 'Pseudonym', pseudonym, createdAt: db.clock.now().toISOString() };
    const failed = await commit(db.client, [put(db, item, NOT_EXISTS), customerCheck(db, customerId, NOT_ERASING)]);
    if (!failed) return pseudonym;
    if (failed.has(1)) return null;
    // Another export created it a moment ago: read theirs.
    const [existing] = await batchGet(db.client, db.tableName, [pseudonymKey(customerId)]);
    return typeof existing?.pseudonym === 'string' ? existing.pseudonym : null;
  }

  return {
    async pseudonymsOf(customerIds) {
      const found = await batchGet(db.client, db.tableName, customerIds.map(pseudonymKey));
      const known = new Map(found.map((item) => [String(item.pk).slice('CUSTOMER#'.length), String(item.pseudonym)]));
      const answer = new Map<string, string>();
      for (const id of customerIds) {
        const pseudonym = known.get(id) ?? (await create(id));
        if (pseudonym !== null) answer.set(id, pseudonym);
      }
      return answer;
    },
  };
}
