import { ConcurrentUpdateError } from '../shared/errors.ts';
import type { LeadRepository } from './lead.repository.ts';
import type { Lead } from './lead.schema.ts';

// Erasing leads with the person they are about: those linked to the customer (CustomerErased),
// and those under the person's email addresses that no customer was linked to (the customers
// context's erasure run). Its own module, so the customers function's repository chunk does not
// carry the rest of the lead use cases.

/** Rounds of a lost race (the lead moved between its read and its removal) before giving up. */
const MAX_ATTEMPTS = 10;

/**
 * Removes each of `found` that still `belongs` to the person being erased. The index may hold an
 * older version of a lead: each is read fresh and removed, again if it moved meanwhile. Returns
 * how many were removed.
 */
export async function eraseLeads(leads: Pick<LeadRepository, 'get' | 'remove'>, found: readonly Lead[], belongs: (lead: Lead) => boolean): Promise<number> {
  let erased = 0;
  for (const { id } of found) {
    for (let attempt = 1; ; attempt++) {
      const current = await leads.get(id);
      if (!current || !belongs(current)) break;
      if (await leads.remove(current)) {
        erased++;
        break;
      }
      if (attempt >= MAX_ATTEMPTS) throw new ConcurrentUpdateError();
    }
  }
  return erased;
}

/**
 * A customer's erasure, for the leads no customer was linked to: those captured or entered under
 * one of the person's email addresses before the person became a customer (a lead is linked only
 * when it is written). The customers context runs this while the person's email identities still
 * exist and the profile is already marked, so no lead can be linked to the person meanwhile.
 * Returns how many were removed.
 */
export async function eraseUnlinkedLeads(leads: Pick<LeadRepository, 'get' | 'remove' | 'unlinkedLeadsOf'>, emails: readonly string[]): Promise<number> {
  let erased = 0;
  for (const email of new Set(emails)) {
    erased += await eraseLeads(leads, await leads.unlinkedLeadsOf(email), (lead) => lead.customerId === null);
  }
  return erased;
}
